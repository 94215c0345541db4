"""Training on a small slice, then prediction, evaluation and the fast path on the result."""

import json
import subprocess
import sys

from kizuna.settings import get_settings
from sentiment.corpus import load_csv, split_path
from sentiment.evaluate import evaluate
from sentiment.fast import ONNX_INT8, OnnxSentimentModel, load_sentiment_model
from sentiment.model import TorchSentimentModel

CORPUS_DIR = get_settings().sentiment_corpus_dir
HELDOUT_PATH = split_path(CORPUS_DIR, "heldout")

ODD_INPUTS = ["", "   ", "😀😀", "x" * 100_000, "\x00\xff junk \x07", "这个产品很好", "<script>alert(1)</script>"]


def test_training_writes_model_card_and_fast_path(small_sentiment_model):
    card = json.loads((small_sentiment_model / "model_card.json").read_text())
    assert card["train_examples"] == 96 and card["config"]["seed"] == 13
    assert card["heldout_examples"] == len(load_csv(HELDOUT_PATH))
    assert 0.0 <= card["heldout_metrics"]["accuracy"] <= 1.0
    assert (small_sentiment_model / ONNX_INT8).exists() and (small_sentiment_model / "MODEL_CARD.md").exists()


def test_odd_inputs_always_get_a_result(small_sentiment_model):
    for model in (TorchSentimentModel(small_sentiment_model), OnnxSentimentModel(small_sentiment_model)):
        predictions = model.predict(ODD_INPUTS)
        assert len(predictions) == len(ODD_INPUTS)
        assert predictions[0].label == "neutral" and predictions[0].probs["neutral"] == 1.0
        for p in predictions:
            assert abs(sum(p.probs.values()) - 1.0) < 0.01
            assert -1.0 <= p.score <= 1.0 and p.label in p.probs


def test_fast_path_agrees_with_fp32(small_sentiment_model):
    texts = [row.text for row in load_csv(HELDOUT_PATH)[:80]]
    fp32 = TorchSentimentModel(small_sentiment_model).predict(texts)
    fast = load_sentiment_model(small_sentiment_model).predict(texts)
    assert isinstance(load_sentiment_model(small_sentiment_model), OnnxSentimentModel)
    assert max(abs(a.score - b.score) for a, b in zip(fp32, fast)) < 0.15
    batch = OnnxSentimentModel(small_sentiment_model).predict_batch(texts)
    assert max(abs(a.score - b.score) for a, b in zip(fast, batch)) < 0.01


def test_evaluation_figures(small_sentiment_model):
    rows = load_csv(HELDOUT_PATH)[:60]
    figures = evaluate(load_sentiment_model(small_sentiment_model), rows)
    assert figures["n"] == 60 and len(figures["confusion_matrix"]) == 3
    assert sum(map(sum, figures["confusion_matrix"])) == 60


def test_cli_predict_and_eval(small_sentiment_model):
    predict = subprocess.run(
        [sys.executable, "-m", "operations.cli", "sentiment", "predict", "--model", str(small_sentiment_model)],
        input="thanks a lot!\n\nterrible\n", capture_output=True, text=True, timeout=120,
    )
    assert predict.returncode == 0, predict.stderr
    rows = [json.loads(line) for line in predict.stdout.splitlines()]
    assert len(rows) == 3 and set(rows[0]) == {"label", "score", "probs"}
    evaluation = subprocess.run(
        [sys.executable, "-m", "operations.cli", "sentiment", "eval", "--data", str(HELDOUT_PATH), "--format", "csv", "--model", str(small_sentiment_model)],
        capture_output=True, text=True, timeout=300,
    )
    assert evaluation.returncode == 0, evaluation.stderr
    assert {"accuracy", "macro_f1", "macro_recall", "per_class", "confusion_matrix"} <= set(json.loads(evaluation.stdout))


def test_cli_errors_are_readable(tmp_path):
    missing = subprocess.run(
        [sys.executable, "-m", "operations.cli", "sentiment", "predict", "--model", str(tmp_path / "nothing")],
        input="hi\n", capture_output=True, text=True, timeout=120,
    )
    assert missing.returncode != 0 and "kizuna sentiment train" in missing.stderr and "Traceback" not in missing.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "operations.cli", "sentiment", "eval", "--data", str(tmp_path / "x.csv")],
        capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode != 0 and "no such file" in bad.stderr
