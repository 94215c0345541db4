"""Evaluation figures of a sentiment model on labelled rows."""

from __future__ import annotations

from typing import Sequence

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
    return metrics([row.label for row in rows], predicted_labels(predictions, binary), labels)


def predict_many(model, texts: Sequence[str]) -> list[Prediction]:  # type: ignore[no-untyped-def]
    batch = getattr(model, "predict_batch", None)
    return batch(texts) if batch else model.predict(texts)
