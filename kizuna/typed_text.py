"""Typed text is only text: the characters that could make Rasa read a message as an intent command.

Rasa strips whitespace from a message, then reads one that starts with "/" as `/intent{...}`. Both the
console and rasa's kizuna channel take these characters off typed text (standard library only, so the
rasa environment can import it too).
"""

from __future__ import annotations

import unicodedata


def as_typed_text(text: str) -> str:
    """The text without its leading slashes, spaces and invisible characters, however they are mixed
    (`/ /x`, `/\u00a0/x`, `\u200b/x`)."""
    start = 0
    while start < len(text) and _may_hide_a_command(text[start]):
        start += 1
    return text[start:]


def _may_hide_a_command(character: str) -> bool:
    """A slash or a look-alike that normalises to one, whitespace, or a control, format, separator or combining mark."""
    return (character.isspace() or unicodedata.category(character)[0] in "CZM"
            or unicodedata.normalize("NFKC", character) in ("/", ""))
