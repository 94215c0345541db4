"""Judging a candidate model against the serving one on the same test set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

DEFAULT_TOLERANCE = 0.005  # half a point: differences this small are training noise, not a worse model


@dataclass(frozen=True)
class Verdict:
    promote: bool
    reason: str


def judge(candidate: dict[str, Any], current: Optional[dict[str, Any]], tolerance: float = DEFAULT_TOLERANCE,
          force: bool = False) -> Verdict:
    """Not worse = neither accuracy nor macro-F1 drops by more than `tolerance`."""
    if current is None:
        return Verdict(True, "there is no serving model to compare with")
    drops = {name: current[name] - candidate[name] for name in ("accuracy", "macro_f1")}
    worse = {name: drop for name, drop in drops.items() if drop > tolerance}
    if not worse:
        return Verdict(True, "not worse than the serving model " + _deltas(candidate, current))
    reason = "worse than the serving model " + _deltas(candidate, current)
    return Verdict(True, reason + "; promoted anyway (--force)") if force else Verdict(False, reason)


def per_label_changes(candidate: dict[str, Any], current: dict[str, Any], threshold: float = 0.01) -> list[dict[str, Any]]:
    """Labels whose F1 moved by at least `threshold`, biggest move first."""
    labels = set(candidate["per_label_f1"]) | set(current["per_label_f1"])
    changes = []
    for label in labels:
        before, after = current["per_label_f1"].get(label, 0.0), candidate["per_label_f1"].get(label, 0.0)
        if abs(after - before) >= threshold:
            changes.append({"label": label, "current_f1": before, "candidate_f1": after, "change": round(after - before, 4)})
    return sorted(changes, key=lambda c: (-abs(c["change"]), c["label"]))


def side_by_side(candidate: dict[str, Any], current: Optional[dict[str, Any]], candidate_name: str, current_name: str) -> str:
    """A table for people: both models' figures, the labels that changed and the most confused pairs."""
    width = max(len(candidate_name), len(current_name), 10)
    lines = [f"{'':<12} {current_name:>{width}} {candidate_name:>{width}}"]
    for name in ("n", "accuracy", "macro_f1"):
        before = "-" if current is None else current[name]
        lines.append(f"{name:<12} {before!s:>{width}} {candidate[name]!s:>{width}}")
    if current is not None:
        changes = per_label_changes(candidate, current)
        lines.append("changed labels (F1): " + (", ".join(
            f"{c['label']} {c['current_f1']:.2f}→{c['candidate_f1']:.2f}" for c in changes[:12]) or "none"))
    confused = candidate.get("most_confused", [])[:5]
    lines.append("most confused (candidate): " + (", ".join(
        f"{c['truth']}→{c['predicted']} ×{c['count']}" for c in confused) or "none"))
    return "\n".join(lines)


def _deltas(candidate: dict[str, Any], current: dict[str, Any]) -> str:
    return (f"(accuracy {current['accuracy']:.4f} → {candidate['accuracy']:.4f}, "
            f"macro-F1 {current['macro_f1']:.4f} → {candidate['macro_f1']:.4f})")
