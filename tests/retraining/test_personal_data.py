"""Personal data is found and masked; order numbers and ordinary numbers are not."""

import importlib.util
from pathlib import Path

import pytest

from kizuna.personal_data import find_personal_data, iban_valid, luhn_valid, mask_personal_data

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize("text, masked", [
    ("call (415) 555-2671", "call <phone number>"),
    ("ring (+44) 7700 900321 please", "ring <phone number> please"),
    ("Rufen Sie 0151 23456789 an", "Rufen Sie <phone number> an"),
    ("(call 07700 900123)", "(call <phone number>)"),
    ("1-800-555-0199", "<phone number>"),
    ("iban BE68 5390 0754 7034 bic GEBABEBB", "iban <iban> bic GEBABEBB"),
    ("card 4111 1111 1111 1111 12/27", "card <card number> 12/27"),
])
def test_common_formats_are_found_whole(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text", [
    "orders 10023 10024 10025", "ordered 05/03/2024 10:15", "barcode 5901234123457", "UPS 1Z 999 AA1 01 2345 6784",
])
def test_number_runs_that_are_neither_cards_nor_phones(text):
    assert find_personal_data(text) == []


def test_a_long_international_number_is_a_phone_not_a_card():
    assert [f.kind for f in find_personal_data("call 0049 171 2345678")] == ["phone"]


def test_precision_and_recall_on_the_labelled_set():
    """Exact span match on data/personal_data/labelled.jsonl (395 messages); see benchmarks/personal_data_eval.py."""
    spec = importlib.util.spec_from_file_location("personal_data_eval", ROOT / "benchmarks" / "personal_data_eval.py")
    evaluation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluation)
    report = evaluation.evaluate(evaluation.load(evaluation.DEFAULT_DATA))
    assert report["messages"] >= 300
    for kind, figures in report["exact"].items():
        assert figures["precision"] >= 0.95 and figures["recall"] >= 0.90, (kind, figures)
