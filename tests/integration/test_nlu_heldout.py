"""NLU quality on held-out examples that training never sees: the dev split (thresholds, retrain gate)
and the locked test split, which is only reported."""

import json
import subprocess
import sys

import pytest

from tests.assistant import trained_assistant

pytestmark = pytest.mark.integration

# Floors well under today's figures: a drop below them is a regression worth a red build.
MIN_ACCURACY = 0.90
MIN_MACRO_F1 = 0.90
MIN_INTENT_RECALL = 0.6
MIN_OUT_OF_SCOPE_RECALL = 0.80


def kizuna(*args: str, text_input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "operations.cli", *args], input=text_input, capture_output=True, text=True, timeout=600)


def test_locked_test_split_figures_and_reliability_chart(capsys, tmp_path):
    chart = tmp_path / "reliability.svg"
    result = kizuna("nlu", "eval", "--split", "test", "--model", str(trained_assistant()), "--chart", str(chart))
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    with capsys.disabled():
        print(f"\nNLU locked test: n={figures['n']} accuracy={figures['accuracy']:.3f} macro-F1={figures['macro_f1']:.3f} "
              f"out-of-scope recall={figures['out_of_scope_recall']:.3f} ECE={figures['reliability']['expected_calibration_error']:.3f}")
        print("most confused:", figures["most_confused"][:5])
    assert figures["data"].endswith("nlu_heldout/test")
    assert figures["accuracy"] >= MIN_ACCURACY and figures["macro_f1"] >= MIN_MACRO_F1
    assert figures["out_of_scope_recall"] >= MIN_OUT_OF_SCOPE_RECALL
    assert min(figures["per_intent_recall"].values()) >= MIN_INTENT_RECALL, figures["per_intent_recall"]
    assert chart.read_text().lstrip().startswith("<?xml") and "<svg" in chart.read_text()


def test_threshold_is_chosen_on_the_dev_split():
    result = kizuna("nlu", "threshold", "--model", str(trained_assistant()))
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    assert figures["data"].endswith("nlu_heldout/dev")
    best = [row for row in figures["candidates"] if row["threshold"] == figures["best_threshold"]][0]
    assert best["score"] == max(row["score"] for row in figures["candidates"])


def test_eval_refuses_an_unknown_split_with_a_readable_error():
    result = kizuna("nlu", "eval", "--split", "train")
    assert result.returncode == 2 and "'train' is not one of 'dev', 'test'" in result.stderr


def test_parse_prints_one_json_object_per_line():
    lines = "where is my order 10023\n\nasdkjh qwpoeiu zxcmvn\nI want to delete my account\n"
    result = kizuna("nlu", "parse", "--model", str(trained_assistant()), text_input=lines)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["where is my order 10023", "", "asdkjh qwpoeiu zxcmvn", "I want to delete my account"]
    assert rows[0]["intent"] == "track_order" and rows[3]["intent"] == "delete_account"
    assert rows[1] == {"text": "", "intent": "nlu_fallback", "confidence": 0.0}
    assert rows[2]["intent"] in ("nlu_fallback", "out_of_scope")
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)


def test_setup_left_the_serving_models_figures_beside_it_for_the_models_page():
    from retraining.serving import report_path

    path = report_path(trained_assistant())
    assert path.exists(), "kizuna setup writes the evaluation report of the model it trained"
    report = json.loads(path.read_text())
    assert set(report) == {"dev", "test"}
    assert report["test"]["accuracy"] >= MIN_ACCURACY and report["test"]["n"] > 300
