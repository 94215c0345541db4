"""Classification figures of the NLU evaluations (NLU retraining and its comparison)."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from sklearn.metrics import accuracy_score, f1_score


def classification_summary(truth: Sequence[str], predicted: Sequence[str]) -> dict:
    labels = sorted(set(truth))
    confusions = Counter((t, p) for t, p in zip(truth, predicted) if t != p)
    return {
        "n": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "per_label_f1": {
            label: round(float(score), 4)
            for label, score in zip(labels, f1_score(truth, predicted, labels=labels, average=None, zero_division=0))
        },
        "most_confused": [{"truth": t, "predicted": p, "count": c} for (t, p), c in confusions.most_common(10)],
    }
