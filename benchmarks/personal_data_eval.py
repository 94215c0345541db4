"""Precision and recall of the personal-data detector on the team's labelled messages.

    .venv/bin/python benchmarks/personal_data_eval.py [--data data/personal_data/labelled.jsonl] [--errors]

Prints JSON: per kind (email, phone, card, iban) true/false positives, false negatives, precision,
recall and F1, counted two ways: `exact` (the predicted span has the labelled kind and exactly the
labelled start and end) and `overlap` (same kind, the spans share at least one character).
`--errors` also lists the misses and false alarms.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kizuna.personal_data import find_personal_data  # noqa: E402

KINDS = ("email", "phone", "card", "iban")
DEFAULT_DATA = Path(__file__).resolve().parents[1] / "data" / "personal_data" / "labelled.jsonl"
Span = tuple[str, int, int]
Match = Callable[[Span, Span], bool]


def exact(a: Span, b: Span) -> bool:
    return a == b


def overlap(a: Span, b: Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predicted(text: str) -> list[Span]:
    return [(found.kind, found.start, found.end) for found in find_personal_data(text)]


def labelled(row: dict) -> list[Span]:
    return [(span["kind"], span["start"], span["end"]) for span in row["spans"]]


def count(rows: Iterable[dict], match: Match) -> dict[str, Counter]:
    counts = {kind: Counter(tp=0, fp=0, fn=0) for kind in KINDS}
    for row in rows:
        gold, guess = labelled(row), predicted(row["text"])
        for span in guess:
            counts[span[0]]["tp" if any(match(span, g) for g in gold) else "fp"] += 1
        for span in gold:
            if not any(match(g, span) for g in guess):
                counts[span[0]]["fn"] += 1
    return counts


def scores(counts: Counter) -> dict[str, float | int]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def evaluate(rows: list[dict]) -> dict:
    report: dict = {"messages": len(rows), "labelled_spans": sum(len(r["spans"]) for r in rows)}
    for name, match in (("exact", exact), ("overlap", overlap)):
        counts = count(rows, match)
        report[name] = {kind: scores(counts[kind]) for kind in KINDS}
    return report


def errors(rows: list[dict]) -> list[dict]:
    """Each message where the exact spans differ, with what was labelled and what was found."""
    wrong = []
    for row in rows:
        gold, guess = set(labelled(row)), set(predicted(row["text"]))
        if gold != guess:
            show = lambda spans: [f"{k}:{row['text'][s:e]!r}" for k, s, e in sorted(spans, key=lambda x: x[1])]  # noqa: E731
            wrong.append({"text": row["text"], "missed": show(gold - guess), "false_alarm": show(guess - gold)})
    return wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="also list the messages the detector got wrong")
    args = parser.parse_args()
    rows = load(args.data)
    report = evaluate(rows)
    if args.errors:
        report["errors"] = errors(rows)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
