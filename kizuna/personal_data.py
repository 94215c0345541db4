"""Finding personal data in free text and replacing it with placeholders.

E-mail addresses, phone numbers, payment card numbers (only digit runs that pass the Luhn check)
and IBANs (only those that pass the ISO 7064 mod-97 check). Order numbers (5 digits) and other
short numbers are left alone, so a masked message still reads as what the customer asked.
Precision and recall on the team's labelled messages: `benchmarks/personal_data_eval.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

PLACEHOLDERS = {
    "email": "customer@example.com",
    "card": "<card number>",
    "iban": "<iban>",
    "phone": "<phone number>",
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
# A number never starts inside a word or right after another number ("10023 10024", "1Z999AA1012...").
CARD = re.compile(r"(?<![\w+-])(?<!\d[ -])\d(?:[ -]?\d){12,18}(?![\w-])")
# A country code ("+44", "0044", "(+44) "), then digits or 1-4 digits in brackets ("(0)", "(415)"),
# with single separators between them.
PHONE = re.compile(r"(?<![\w+])(?<!\d[ ./-])(?:\(\+\d{1,3}\) ?|\+|00)?(?:\(\d{1,4}\)|\d)(?:[ ./-]?(?:\(\d{1,4}\)|\d)){7,14}(?!\w)")
NORTH_AMERICAN = re.compile(r"(?:1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}")
DATE = re.compile(r"\d{1,2}([./-])\d{1,2}\1(?:19|20)\d{2}")
SEPARATOR = re.compile(r"[ ./-]")


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
            span = _checked_span(kind, match.start(), match.group(), valid)
            if span is not None and not any(span.start < f.end and f.start < span.end for f in found):
                found.append(span)
    return sorted(found, key=lambda f: f.start)


def mask_personal_data(text: str) -> str:
    """The text with every piece of personal data replaced by its placeholder."""
    pieces, last = [], 0
    for found in find_personal_data(text):
        pieces += [text[last:found.start], PLACEHOLDERS[found.kind]]
        last = found.end
    return "".join(pieces) + text[last:]


def _checked_span(kind: str, start: int, candidate: str, valid: Optional[Callable[[str], bool]]) -> Optional[Found]:
    """The match if it passes its check; a card or IBAN may have taken in a word or number that follows
    ("DE89... thanks", "4111... 12/27"): then the longest valid part cut at a separator counts."""
    cuts = [len(candidate)]
    if kind in ("card", "iban"):
        cuts += [m.start() for m in reversed(list(SEPARATOR.finditer(candidate)))]
    for cut in cuts:
        if valid is None or valid(candidate[:cut]):
            return Found(kind, start, start + cut)
    return None


def _card_valid(candidate: str) -> bool:
    """13-19 digits passing Luhn, starting with 2-6 (the banking and financial industry digits);
    13-digit cards are old Visa cards only (so EAN-13 barcodes are not taken for cards)."""
    digits = re.sub(r"\D", "", candidate)
    if not 13 <= len(digits) <= 19 or digits[0] not in "23456" or (len(digits) == 13 and digits[0] != "4"):
        return False
    return luhn_valid(digits)


def _phone_like(candidate: str) -> bool:
    """International numbers (+ or 00) of 8-15 digits; national ones of 9-12 digits with a trunk 0, or of
    the North American shape ((1-)3-3-4). Dates, amounts and card-length digit runs are not phone numbers."""
    digits = re.sub(r"\D", "", candidate)
    if DATE.search(candidate):
        return False
    if candidate.startswith(("+", "00", "(+")):
        return 8 <= len(digits) <= 15
    if candidate.startswith(("0", "(0")):
        return 9 <= len(digits) <= 12
    return NORTH_AMERICAN.fullmatch(candidate) is not None
