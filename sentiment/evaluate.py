"""Evaluation figures of a sentiment model on labelled rows."""

from __future__ import annotations

from typing import Sequence

from scipy.stats import spearmanr
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support, recall_score

from sentiment.corpus import LabelledText
from sentiment.labels import LABELS
from sentiment.model import Prediction


def predicted_labels(predictions: Sequence[Prediction], binary: bool) -> list[str]:
    """Binary sets (no neutral) compare P(positive) with P(negative)."""
    if binary:
        return ["positive" if p.probs["positive"] > p.probs["negative"] else "negative" for p in predictions]
    return [p.label for p in predictions]


def metrics(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict:
    precision, recall, f1, support = precision_recall_fscore_support(truth, predicted, labels=list(labels), zero_division=0)
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, labels=list(labels), average="macro", zero_division=0)), 4),
        "macro_recall": round(float(recall_score(truth, predicted, labels=list(labels), average="macro", zero_division=0)), 4),
        "per_class": {
            label: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support)
        },
        "labels": list(labels),
        "confusion_matrix": confusion_matrix(truth, predicted, labels=list(labels)).tolist(),
    }


def evaluate(model, rows: Sequence[LabelledText], binary: bool = False, batch_size: int = 64) -> dict:  # type: ignore[no-untyped-def]
    """Figures over three classes, or two (`binary`) for sets without a neutral class."""
    predictions: list[Prediction] = []
    for start in range(0, len(rows), batch_size):
        predictions += predict_many(model, [row.text for row in rows[start : start + batch_size]])
    labels = ("negative", "positive") if binary else LABELS
    figures = metrics([row.label for row in rows], predicted_labels(predictions, binary), labels)
    if not binary:
        figures["neutral_recall"] = figures["per_class"]["neutral"]["recall"]
        figures["calibration_error"] = calibration_error(predictions, [row.label for row in rows])
    rated = [(p.score, row.intensity) for p, row in zip(predictions, rows) if row.intensity is not None]
    if len(rated) > 2:
        figures["intensity_spearman"] = round(float(spearmanr(*zip(*rated)).statistic), 4)
    return figures


def calibration_error(predictions: Sequence[Prediction], truth: Sequence[str], bins: int = 10) -> float:
    """Expected calibration error: how far the top probability is from the share of right answers, per bin."""
    error = 0.0
    for low in (i / bins for i in range(bins)):
        members = [(p, t) for p, t in zip(predictions, truth) if low < max(p.probs.values()) <= low + 1 / bins]
        if members:
            confidence = sum(max(p.probs.values()) for p, _ in members) / len(members)
            accuracy = sum(p.label == t for p, t in members) / len(members)
            error += len(members) / len(truth) * abs(confidence - accuracy)
    return round(error, 4)


def predict_many(model, texts: Sequence[str]) -> list[Prediction]:  # type: ignore[no-untyped-def]
    batch = getattr(model, "predict_batch", None)
    return batch(texts) if batch else model.predict(texts)
