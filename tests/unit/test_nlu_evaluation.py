"""The NLU figures: out-of-scope handling, per-intent recall, reliability and the dev-chosen threshold."""

import pytest

from operations.nlu_evaluation import Prediction, best_threshold, intent_report, reliability, threshold_table, with_threshold


def test_an_out_of_scope_message_that_falls_back_counts_as_recognised():
    report = intent_report(["out_of_scope", "out_of_scope", "track_order"], ["nlu_fallback", "place_order", "track_order"], [0.2, 0.9, 0.8])
    assert report["out_of_scope_recall"] == 0.5
    assert report["accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert report["in_scope_accuracy"] == 1.0


def test_an_in_scope_message_that_falls_back_is_wrong():
    report = intent_report(["track_refund", "track_refund"], ["nlu_fallback", "track_refund"], [0.3, 0.9])
    assert report["per_intent_recall"] == {"track_refund": 0.5}
    assert report["fallback_rate"] == 0.5
    assert report["out_of_scope_recall"] is None


def test_the_worst_confusions_come_first():
    truth = ["delivery_period"] * 3 + ["track_refund"]
    predicted = ["track_order"] * 2 + ["delivery_period", "get_refund"]
    report = intent_report(truth, predicted, [0.9] * 4)
    assert report["most_confused"][0] == {"truth": "delivery_period", "predicted": "track_order", "count": 2}


def test_reliability_compares_confidence_with_the_share_right_per_band():
    table = reliability(["a", "a", "a", "a"], ["a", "b", "a", "a"], [0.95, 0.95, 0.55, 1.0])
    top = [band for band in table["bands"] if band["from"] == 0.9][0]
    assert top["n"] == 3 and top["accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert top["confidence"] == pytest.approx((0.95 + 0.95 + 1.0) / 3, abs=1e-3)
    assert 0 < table["expected_calibration_error"] < 1


def test_a_threshold_turns_unsure_guesses_into_fallbacks():
    predictions = [Prediction("greet", 0.9), Prediction("place_order", 0.3)]
    assert with_threshold(predictions, 0.5) == ["greet", "nlu_fallback"]


def test_the_chosen_threshold_trades_in_scope_accuracy_against_out_of_scope_recall():
    truth = ["track_order", "track_order", "out_of_scope", "out_of_scope"]
    predictions = [Prediction("track_order", 0.9), Prediction("track_order", 0.5),
                   Prediction("place_order", 0.35), Prediction("place_order", 0.45)]
    rows = threshold_table(truth, predictions, [0.0, 0.4, 0.5, 0.6])
    scores = {row["threshold"]: row["score"] for row in rows}
    assert scores[0.0] == 0.5 and scores[0.4] == 0.75 and scores[0.5] == 1.0 and scores[0.6] == 0.75
    assert best_threshold(rows) == 0.5


def test_among_equally_good_thresholds_the_highest_is_chosen():
    rows = [{"threshold": 0.1, "score": 0.9}, {"threshold": 0.3, "score": 0.9}, {"threshold": 0.5, "score": 0.8}]
    assert best_threshold(rows) == 0.3
