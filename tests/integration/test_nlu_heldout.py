"""NLU quality on held-out examples that training never sees (data/nlu_heldout)."""

import json
import subprocess
import sys

import pytest

from kizuna.settings import PROJECT_ROOT
from tests.assistant import trained_assistant

pytestmark = pytest.mark.integration

MIN_ACCURACY = 0.80
MIN_MACRO_F1 = 0.78


def test_heldout_accuracy_and_macro_f1(capsys):
    model = trained_assistant()
    heldout = PROJECT_ROOT / "data/nlu_heldout/heldout.yml"
    result = subprocess.run(
        [sys.executable, "-m", "kizuna.cli", "nlu", "eval", "--data", str(heldout), "--model", str(model)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout)
    with capsys.disabled():
        print(f"\nNLU held-out: n={figures['n']} accuracy={figures['accuracy']:.3f} macro-F1={figures['macro_f1']:.3f}")
        print("most confused:", figures["most_confused"][:5])
    assert figures["accuracy"] >= MIN_ACCURACY and figures["macro_f1"] >= MIN_MACRO_F1


def test_parse_prints_one_json_object_per_line():
    model = trained_assistant()
    lines = "where is my order 10023\n\nasdkjh qwpoeiu zxcmvn\nI want to delete my account\n"
    result = subprocess.run(
        [sys.executable, "-m", "kizuna.cli", "nlu", "parse", "--model", str(model)],
        input=lines, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["where is my order 10023", "", "asdkjh qwpoeiu zxcmvn", "I want to delete my account"]
    assert rows[0]["intent"] == "track_order" and rows[3]["intent"] == "delete_account"
    assert rows[1] == {"text": "", "intent": "nlu_fallback", "confidence": 0.0}
    assert rows[2]["intent"] in ("nlu_fallback", "out_of_scope")
    assert all(0.0 <= r["confidence"] <= 1.0 for r in rows)
