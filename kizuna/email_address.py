"""One recipient per address field: a stored e-mail address is used only when it is exactly one plain addr-spec
(name@domain). A list ("a@x, b@y"), a group ("team: a@x, b@y;") or a display name ("Ben <a@x>") would have the
message go to every address in it."""

from __future__ import annotations

import unicodedata
from email.utils import getaddresses
from typing import Optional

MAX_LENGTH = 254  # the longest address SMTP carries (RFC 5321's path limit less its angle brackets)


def address_problem(value: str) -> Optional[str]:
    """Why `value` is not exactly one plain e-mail address; None when it is."""
    if not value:
        return "there is no address"
    if len(value) > MAX_LENGTH:
        return f"it is longer than {MAX_LENGTH} characters"
    if any(character.isspace() or unicodedata.category(character).startswith("C") for character in value):
        return "it holds a space or a control character"
    local_part, at, domain = value.partition("@")
    if not at or "@" in domain or not local_part or not domain:
        return "it is not one name@domain"
    if getaddresses([value]) != [("", value)]:
        return "it is a list, a group or carries a display name"
    return None


def is_plain_address(value: str) -> bool:
    return address_problem(value) is None
