from pathlib import Path

import pytest

from sentiment.corpus import CorpusError, load_csv
from sentiment.evaluate import metrics, predicted_labels
from sentiment.external_sets import EvalDataError, load_eval_set, vader_class
from sentiment.model import Prediction, label_order, to_three_classes
from sentiment.text import prepare_text

FIXTURES = Path(__file__).parent / "fixtures"


def test_metrics_on_a_known_case():
    figures = metrics(["negative", "neutral", "positive", "positive"], ["negative", "positive", "positive", "positive"], ("negative", "neutral", "positive"))
    assert figures["accuracy"] == 0.75
    assert figures["per_class"]["neutral"]["recall"] == 0.0
    assert figures["confusion_matrix"] == [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
    assert figures["macro_recall"] == round((1 + 0 + 1) / 3, 4)


def test_binary_sets_compare_positive_with_negative():
    prediction = Prediction("neutral", 0.1, {"negative": 0.2, "neutral": 0.5, "positive": 0.3})
    assert predicted_labels([prediction], binary=True) == ["positive"]
    assert predicted_labels([prediction], binary=False) == ["neutral"]


def test_external_formats():
    assert [r.label for r in load_eval_set(FIXTURES / "sst2.tsv", "sst2")] == ["positive", "negative"]
    assert [r.label for r in load_eval_set(FIXTURES / "tiny_text.txt", "tweeteval")] == ["positive", "neutral", "negative"]
    assert [r.label for r in load_eval_set(FIXTURES / "vader.txt", "vader")] == ["positive", "neutral", "negative"]
    assert (vader_class(-0.5), vader_class(0.49), vader_class(0.5)) == ("negative", "neutral", "positive")


def test_eval_data_errors_are_clear(tmp_path):
    with pytest.raises(EvalDataError, match="no such file"):
        load_eval_set(tmp_path / "missing.csv", "csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nhello,angry\n")
    with pytest.raises(CorpusError, match="row 2, column label"):
        load_csv(bad)
    (tmp_path / "cols.csv").write_text("message,label\nhi,neutral\n")
    with pytest.raises(CorpusError, match="text,label"):
        load_csv(tmp_path / "cols.csv")


def test_label_mapping_of_another_model():
    order = label_order({0: "NEGATIVE", 1: "POSITIVE"}, None)
    assert order == ["negative", "positive"]
    assert to_three_classes([0.2, 0.8], order) == [0.2, 0.0, 0.8]
    assert label_order({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, {"LABEL_0": "negative", "LABEL_1": "neutral", "LABEL_2": "positive"}) == ["negative", "neutral", "positive"]


def test_prepare_text_handles_junk():
    assert prepare_text(None) == "" and prepare_text("   ") == ""
    assert len(prepare_text("x" * 100_000)) == 2000
    assert prepare_text("a\x00b\x07c") == "abc"
    assert prepare_text(42) == "42"
