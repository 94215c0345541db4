"""The NLU data is honest: held-out examples are never training examples, dev and test never share one,
and every support intent has enough variety to learn from."""

import re
from collections import Counter

import pytest

from retraining import nlu_models as nlu
from kizuna.settings import get_settings

SUPPORT_INTENTS = {
    "cancel_order", "change_order", "change_shipping_address", "check_cancellation_fee", "check_invoice",
    "check_payment_methods", "check_refund_policy", "complaint", "contact_customer_service", "contact_human_agent",
    "create_account", "delete_account", "delivery_options", "delivery_period", "edit_account", "get_invoice",
    "get_refund", "newsletter_subscription", "payment_issue", "place_order", "recover_password",
    "registration_problems", "review", "set_up_shipping_address", "switch_account", "track_order", "track_refund",
}


def normalised(text: str) -> str:
    """Equal for texts that differ only in case, punctuation or spacing."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@pytest.fixture(scope="module")
def training():
    return nlu.load_examples_from(get_settings().data_dir / "nlu")


@pytest.fixture(scope="module")
def splits():
    settings = get_settings()
    return {split: nlu.load_examples_from(nlu.heldout_dir(settings, split)) for split in nlu.HELDOUT_SPLITS}


def test_no_held_out_example_is_a_training_example(training, splits):
    seen = {normalised(e.text) for e in training}
    for split, examples in splits.items():
        leaked = [e.text for e in examples if normalised(e.text) in seen]
        assert not leaked, f"{split} examples also in training: {leaked[:10]}"


def test_dev_and_test_share_no_example(splits):
    dev = {normalised(e.text) for e in splits["dev"]}
    assert not [e.text for e in splits["test"] if normalised(e.text) in dev]


def test_no_text_is_taught_as_two_intents(training):
    intents_of: dict[str, set[str]] = {}
    for example in training:
        intents_of.setdefault(normalised(example.text), set()).add(example.intent)
    assert not {text: names for text, names in intents_of.items() if len(names) > 1}


def test_every_support_intent_has_at_least_100_examples_and_out_of_scope_is_broad(training):
    counts = Counter(e.intent for e in training)
    assert SUPPORT_INTENTS <= set(counts)
    assert not {intent: counts[intent] for intent in SUPPORT_INTENTS if counts[intent] < 100}
    assert counts["out_of_scope"] >= 400


def test_both_splits_hold_every_support_intent_and_out_of_scope(splits):
    for split, examples in splits.items():
        present = {e.intent for e in examples}
        assert SUPPORT_INTENTS | {"out_of_scope"} <= present, f"{split} lacks {SUPPORT_INTENTS - present}"


def test_the_held_out_examples_are_about_the_same_intents_as_training(training, splits):
    known = {e.intent for e in training}
    for split, examples in splits.items():
        assert {e.intent for e in examples} <= known, split
