"""The sentiment model `kizuna setup` trains from the corpus: held-out figures over floors, on both paths."""

import pytest

from kizuna.settings import get_settings
from sentiment.corpus import load_csv, split_path
from sentiment.evaluate import evaluate
from sentiment.fast import OnnxSentimentModel
from sentiment.model import TorchSentimentModel, read_model_card
from sentiment.train import file_fingerprint
from tests.conftest import unavailable

CORPUS_DIR = get_settings().sentiment_corpus_dir
TRAIN_PATH, HELDOUT_PATH = split_path(CORPUS_DIR, "train"), split_path(CORPUS_DIR, "heldout")

pytestmark = pytest.mark.slow

# Floors under the figures measured on the locked held-out split: a drop below them is a regression.
MIN_MACRO_F1 = 0.88
MIN_NEUTRAL_RECALL = 0.88
MAX_CALIBRATION_ERROR = 0.05
FAST_PATH_TOLERANCE = 0.01


@pytest.fixture(scope="module")
def served_model():
    from kizuna.settings import get_settings

    model_dir = get_settings().sentiment_model_dir
    card = read_model_card(model_dir)
    if card.get("train_data", {}).get("sha256") != file_fingerprint(TRAIN_PATH)["sha256"]:
        unavailable(f"no sentiment model trained on the current corpus in {model_dir}: run `kizuna setup`")
    return model_dir


def test_held_out_figures_stay_over_their_floors_on_both_paths(served_model, capsys):
    heldout = load_csv(HELDOUT_PATH)
    fp32 = evaluate(TorchSentimentModel(served_model), heldout)
    fast = evaluate(OnnxSentimentModel(served_model), heldout)
    with capsys.disabled():
        for name, figures in (("fp32", fp32), ("fast", fast)):
            print(f"\nsentiment held-out {name}: n={figures['n']} macro-F1={figures['macro_f1']:.3f} "
                  f"neutral recall={figures['neutral_recall']:.3f} ECE={figures['calibration_error']:.3f}")
    for figures in (fp32, fast):
        assert figures["macro_f1"] >= MIN_MACRO_F1 and figures["neutral_recall"] >= MIN_NEUTRAL_RECALL
        assert figures["calibration_error"] <= MAX_CALIBRATION_ERROR
    assert fast["macro_f1"] >= fp32["macro_f1"] - FAST_PATH_TOLERANCE


def test_the_card_reports_the_dev_split_and_the_calibration(served_model):
    card = read_model_card(served_model)
    assert card["dev_metrics"]["n"] > 1000 and 0.5 <= card["temperature"] <= 5.0
    assert card["heldout_examples"] == len(load_csv(HELDOUT_PATH))
