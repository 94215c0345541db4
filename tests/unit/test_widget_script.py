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
