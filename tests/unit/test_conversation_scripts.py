"""The scripted conversations load, name only known keys and placeholders, and hold regexes that compile:
a typo in a script fails here, before any stack starts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.conversation_script import PLACEHOLDERS, ScriptError, load_all, load_file

SCRIPTS = load_all()
PATTERN_KEYS = ("contains", "excludes", "buttons", "shown")


def test_there_are_at_least_forty_conversations_with_unique_names():
    assert len(SCRIPTS) >= 40
    assert len({s.name for s in SCRIPTS}) == len(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_every_pattern_compiles_and_every_placeholder_is_known(script):
    for turn in script.turns:
        texts = [turn.get("say", ""), turn.get("click", ""), *(p for key in PATTERN_KEYS for p in turn.get(key, []))]
        for text in texts:
            used = set(re.findall(r"\{([a-z_]+)\}", text))
            assert used <= PLACEHOLDERS, f"{script.name}: unknown placeholder(s) {used - PLACEHOLDERS} in {text!r}"
            assert not used or script.who, f"{script.name}: {text!r} needs an order, but nobody in `who` has one"
        for key in PATTERN_KEYS:
            for pattern in turn.get(key, []):
                re.compile(pattern.replace("{", "").replace("}", ""))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_a_click_follows_a_turn_of_the_bot(script):
    assert "click" not in script.turns[0] and "staff" not in script.turns[0], f"{script.name} starts with a click or staff step"


@pytest.mark.parametrize("broken, message", [
    ("hours: open\n    turns:\n      - say: hi\n        contians: [x]", "unknown key"),
    ("hours: open\n    turns:\n      - say: hi\n        status: queued", "status is one of"),
    ("hours: open\n    turns:\n      - say: hi\n        decision: carry_on", "decision.action is one of"),
    ("hours: open\n    turns:\n      - say: hi\n        replies: [card]", "replies are among"),
    ("hours: open\n    turns:\n      - say: hi\n        max_bubbles: 3", "needs `because`"),
    ("hours: open\n    turns:\n      - say: hi\n        click: Yes", "exactly one of"),
    ("hours: open\n    turns:\n      - staff: [takeover]", "a staff step is one of"),
    ("hours: nights\n    turns:\n      - say: hi", "hours must be"),
    ("hours: open\n    who: {customer: a_happy_one}\n    turns:\n      - say: hi", "who.customer is one of"),
    ("hours: open\n    turns:\n      - say: hi\n        decision: {action: offer, reason: [x]}", "unknown key"),
])
def test_a_typo_in_a_script_fails_loudly(tmp_path: Path, broken: str, message: str):
    path = tmp_path / "broken.yml"
    path.write_text(f"conversations:\n  - name: broken\n    about: a typo\n    {broken}\n", encoding="utf-8")
    with pytest.raises(ScriptError, match=message):
        load_file(path)


def test_a_duplicate_name_fails(tmp_path: Path):
    one = "conversations:\n  - name: twice\n    about: x\n    hours: open\n    turns:\n      - say: hi\n"
    (tmp_path / "a.yml").write_text(one, encoding="utf-8")
    (tmp_path / "b.yml").write_text(one, encoding="utf-8")
    with pytest.raises(ScriptError, match="unique"):
        load_all(tmp_path)


def test_an_unquoted_yes_is_caught(tmp_path: Path):
    path = tmp_path / "yes.yml"
    path.write_text("conversations:\n  - name: y\n    about: x\n    hours: open\n    turns:\n      - say: yes\n", encoding="utf-8")
    with pytest.raises(ScriptError, match="quote it"):
        load_file(path)


def test_a_key_written_twice_is_caught(tmp_path: Path):
    path = tmp_path / "twice.yml"
    path.write_text("conversations:\n  - name: t\n    about: x\n    hours: open\n    turns:\n      - say: hi\n"
                    "        excludes: [a]\n        excludes: [b]\n", encoding="utf-8")
    with pytest.raises(ScriptError, match="written twice"):
        load_file(path)
