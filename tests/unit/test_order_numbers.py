"""An order number is the shop's 5 digits, never digits out of a phone number, an amount or an address."""

import re

import pytest
import yaml

from kizuna.db.shop_repository import ORDER_NUMBER_PATTERN, normalise_order_number
from kizuna.settings import PROJECT_ROOT

PHONE_NUMBERS = [
    "call me on +44 20 7946 10023",
    "+49 30 1234 10023",
    "my number is 020 7946 10023",
    "ring (030) 10023 please",
    "(030)10023",
    "+1 (555) 010-10023",
    "555.010.10023",
    "0176-10023",
    "030/10023",
    "+4930123410023",
    "+10023",
    "10023 4567",
]
NOT_ORDER_NUMBERS = ["jane.10023@example.com", "10023@example.com", "it cost 10023.50", "1002", "123456", "ORD10023x"]
ORDER_NUMBERS = [
    ("10023", "10023"),
    ("where is order 10023?", "10023"),
    ("ORD-10023", "10023"),
    ("ord-10023", "10023"),
    ("#10023", "10023"),
    ("order#10023 please", "10023"),
    ("order no. 10023, thanks", "10023"),
    ("/track_order{\"order_id\":\"10023\"}", "10023"),
    ("it's 10023 - 3 days late already", "10023"),
]


@pytest.mark.parametrize("text", PHONE_NUMBERS + NOT_ORDER_NUMBERS)
def test_digits_of_a_phone_number_or_an_address_are_not_an_order_number(text):
    assert normalise_order_number(text) is None


@pytest.mark.parametrize(("text", "number"), ORDER_NUMBERS)
def test_order_numbers_in_the_shops_formats(text, number):
    assert normalise_order_number(text) == number


def test_the_assistants_order_id_regex_is_the_same_pattern():
    """Rasa's regex extractor (re.finditer, case-insensitive) uses the pattern of data/nlu/chitchat.yml."""
    nlu = yaml.safe_load((PROJECT_ROOT / "data/nlu/chitchat.yml").read_text())["nlu"]
    regex = next(item for item in nlu if item.get("regex") == "order_id")
    pattern = regex["examples"].strip().removeprefix("- ")
    assert pattern == ORDER_NUMBER_PATTERN.pattern
    for text in PHONE_NUMBERS + NOT_ORDER_NUMBERS:
        assert list(re.finditer(pattern, text, flags=re.IGNORECASE)) == [], text
    assert [m.group(0) for m in re.finditer(pattern, "ORD-10023 and #10024", flags=re.IGNORECASE)] == ["ORD-10023", "#10024"]
