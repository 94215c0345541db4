"""Figures of an intent classifier on labelled messages: accuracy, macro-F1, per-intent recall, the
worst confusions, out-of-scope recall, a reliability table, and the fallback threshold that the dev
split prefers. Pure computation; parsing the messages is retraining.nlu_models's job."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from kizuna.metrics import classification_summary

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
NOT_HANDLED = (OUT_OF_SCOPE, FALLBACK)  # both mean "not one of the shop's requests"


@dataclass(frozen=True)
class Prediction:
    """The classifier's own top intent and confidence, before any fallback threshold."""
    intent: str
    confidence: float


def with_threshold(predictions: Sequence[Prediction], threshold: float) -> list[str]:
    """The intents the assistant acts on: below `threshold`, nlu_fallback."""
    return [p.intent if p.confidence >= threshold else FALLBACK for p in predictions]


def intent_report(truth: Sequence[str], predicted: Sequence[str], confidences: Sequence[float]) -> dict:
    """Everything `kizuna nlu eval` prints. An out-of-scope message counts as right when it falls back too."""
    judged = [p if not (t == OUT_OF_SCOPE and p in NOT_HANDLED) else t for t, p in zip(truth, predicted)]
    summary = classification_summary(truth, judged)
    in_scope = [(t, p) for t, p in zip(truth, predicted) if t != OUT_OF_SCOPE]
    out_of_scope = [p for t, p in zip(truth, predicted) if t == OUT_OF_SCOPE]
    return {
        **summary,
        "in_scope_accuracy": _share(t == p for t, p in in_scope),
        "out_of_scope_recall": _share(p in NOT_HANDLED for p in out_of_scope) if out_of_scope else None,
        "fallback_rate": _share(p == FALLBACK for p in predicted),
        "per_intent_recall": per_intent_recall(truth, judged),
        "reliability": reliability(truth, judged, confidences),
    }


def per_intent_recall(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    totals, right = Counter(truth), Counter(t for t, p in zip(truth, predicted) if t == p)
    return {intent: round(right[intent] / totals[intent], 4) for intent in sorted(totals)}


def reliability(truth: Sequence[str], predicted: Sequence[str], confidences: Sequence[float], bins: int = 10) -> dict:
    """Per confidence band: how many messages, their mean confidence and how many were right; and the
    expected calibration error (the gap between the two, weighted by the band's share)."""
    bands = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [(t == p, c) for t, p, c in zip(truth, predicted, confidences)
                   if low <= c < high or (index == bins - 1 and c == 1.0)]
        if members:
            bands.append({"from": low, "to": high, "n": len(members),
                          "confidence": round(sum(c for _, c in members) / len(members), 4),
                          "accuracy": round(sum(ok for ok, _ in members) / len(members), 4)})
    total = sum(b["n"] for b in bands) or 1
    error = sum(b["n"] / total * abs(b["accuracy"] - b["confidence"]) for b in bands)
    return {"bands": bands, "expected_calibration_error": round(error, 4)}


def threshold_table(truth: Sequence[str], predictions: Sequence[Prediction], candidates: Sequence[float]) -> list[dict]:
    """For each candidate threshold: in-scope accuracy, out-of-scope recall, and the score: the share of all
    messages handled right (an out-of-scope message that falls back is handled right)."""
    rows = []
    for threshold in candidates:
        report = intent_report(truth, with_threshold(predictions, threshold), [p.confidence for p in predictions])
        rows.append({"threshold": threshold, "in_scope_accuracy": report["in_scope_accuracy"],
                     "out_of_scope_recall": report["out_of_scope_recall"], "fallback_rate": report["fallback_rate"],
                     "score": report["accuracy"]})
    return rows


def best_threshold(rows: Sequence[dict]) -> float:
    """The threshold with the best score; among equal scores the highest: on dev it costs nothing, and on
    phrasing unlike ours it turns more of the classifier's unsure guesses into a request to rephrase."""
    best = max(row["score"] for row in rows)
    return max(row["threshold"] for row in rows if row["score"] == best)


def _share(flags) -> float:
    flags = list(flags)
    return round(sum(flags) / len(flags), 4) if flags else 0.0
