"""Finding personal data in free text and replacing it with placeholders.

E-mail addresses, phone numbers, payment card numbers (only digit runs that pass the Luhn check)
and IBANs (only those that pass the ISO 7064 mod-97 check). Order numbers (5 digits) and other
short numbers are left alone, so a masked message still reads as what the customer asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDERS = {
    "email": "customer@example.com",
    "card": "<card number>",
    "iban": "<iban>",
    "phone": "<phone number>",
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
NORTH_AMERICAN = re.compile(r"\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}")
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ ./-]?\(?\d\)?){7,14}(?!\w)")


@dataclass(frozen=True)
class Found:
    kind: str
    start: int
    end: int


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def find_personal_data(text: str) -> list[Found]:
    """Non-overlapping spans, in text order; e-mail first, then IBAN, card and phone."""
    found: list[Found] = []
    checks = (("email", EMAIL, None), ("iban", IBAN, iban_valid), ("card", CARD, _card_valid), ("phone", PHONE, _phone_like))
    for kind, pattern, valid in checks:
        for match in pattern.finditer(text):
            if valid is not None and not valid(match.group()):
                continue
            if not any(match.start() < f.end and f.start < match.end() for f in found):
                found.append(Found(kind, match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def mask_personal_data(text: str) -> str:
    """The text with every piece of personal data replaced by its placeholder."""
    pieces, last = [], 0
    for found in find_personal_data(text):
        pieces += [text[last:found.start], PLACEHOLDERS[found.kind]]
        last = found.end
    return "".join(pieces) + text[last:]


def _card_valid(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


def _phone_like(candidate: str) -> bool:
    """International numbers (+ or 00) of 8-15 digits; national ones with a trunk 0 or the 3-3-4 North
    American shape. Dates, amounts and card-length digit runs are not phone numbers."""
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith(("+", "00")):
        return 8 <= len(digits) <= 15
    return 9 <= len(digits) <= 11 and (candidate.startswith(("0", "(0")) or NORTH_AMERICAN.fullmatch(candidate) is not None)
