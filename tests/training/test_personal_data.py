"""Personal data is found and masked; order numbers and ordinary numbers are not."""

import pytest

from kizuna.personal_data import find_personal_data, iban_valid, luhn_valid, mask_personal_data


@pytest.mark.parametrize("text, masked", [
    ("mail me at jane.doe+shop@example.org please", "mail me at customer@example.com please"),
    ("my card 4111 1111 1111 1111 was charged twice", "my card <card number> was charged twice"),
    ("card 4111-1111-1111-1111", "card <card number>"),
    ("call me on +44 20 7946 0958", "call me on <phone number>"),
    ("refund to DE89 3704 0044 0532 0130 00 thanks", "refund to <iban> thanks"),
    ("refund to DE89370400440532013000", "refund to <iban>"),
])
def test_personal_data_is_replaced_by_placeholders(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text", [
    "where is order 10023", "I paid 49.99 EUR on 2026-11-20", "4111 1111 1111 1112 is not a valid card",
    "DE00 3704 0044 0532 0130 00 fails its checksum", "it took 12 days", "",
])
def test_ordinary_text_stays_as_it_is(text):
    assert mask_personal_data(text) == text


def test_checksums():
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32") and not iban_valid("GB82 WEST 1234 5698 7654 33")


def test_spans_do_not_overlap_and_come_in_text_order():
    found = find_personal_data("a@b.co then 4111111111111111 then +1 415 555 2671")
    assert [f.kind for f in found] == ["email", "card", "phone"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
