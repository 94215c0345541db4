"""The widget script's budget and the rules it lives by (checked on the file a shop downloads)."""

from __future__ import annotations

import gzip
import re

from console.pages import WIDGET_SCRIPT

SOURCE = WIDGET_SCRIPT.read_text()


def test_the_script_is_at_most_30_kb_gzipped():
    assert len(gzip.compress(SOURCE.encode(), 9)) <= 30 * 1024


def test_the_script_never_turns_text_into_markup_or_code():
    for forbidden in (r"\.innerHTML\b", r"\.outerHTML\b", r"insertAdjacentHTML", r"document\.write", r"\beval\(", r"new Function\("):
        assert not re.search(forbidden, SOURCE), forbidden


def test_the_conversation_secret_travels_in_the_auth_frame_never_in_a_url():
    assert re.search(r'type: "auth", conversation_secret: secret', SOURCE)
    assert not re.search(r"searchParams\.(set|append)\([^)]*secret", SOURCE, re.IGNORECASE)
    assert "?secret" not in SOURCE and "&secret" not in SOURCE


def test_a_new_person_or_the_new_conversation_control_starts_a_new_conversation():
    assert re.search(r'stored\(keys\.owner, null\) !== owner\) beginConversation\(false\)', SOURCE)
    assert '"New conversation"' in SOURCE and "startOver(false)" in SOURCE
