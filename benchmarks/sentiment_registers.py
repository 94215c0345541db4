"""Held-out sentiment figures per register (each corpus source file), on both model paths.

    .venv/bin/python benchmarks/sentiment_registers.py [--model DIR]

The held-out split mixes every register; this shows where the model is weak: a register far below
the others needs more or better examples. Prints a table and, with --json, the figures.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from sentiment.corpus import LabelledText
from sentiment.corpus_split import deduplicated, read_sources, splits
from sentiment.evaluate import evaluate
from sentiment.fast import OnnxSentimentModel
from sentiment.model import TorchSentimentModel


def heldout_by_register() -> dict[str, list[LabelledText]]:
    rows, _dropped = deduplicated(read_sources())
    registers: dict[str, list[LabelledText]] = defaultdict(list)
    for row in splits(rows)["heldout"]:
        registers[row.source].append(LabelledText(row.text, row.label))
    return dict(sorted(registers.items()))


def main() -> None:
    from kizuna.settings import get_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="model directory (default: the configured one)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    model_dir = args.model or get_settings().sentiment_model_dir
    models = {"fp32": TorchSentimentModel(model_dir), "fast": OnnxSentimentModel(model_dir)}
    report = {register: {path: evaluate(model, rows) for path, model in models.items()}
              for register, rows in heldout_by_register().items()}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{'register':28} {'n':>5}  {'fp32 macro-F1':>13} {'fast macro-F1':>13} {'neutral recall (fast)':>22}")
    for register, figures in report.items():
        fast = figures["fast"]
        print(f"{register:28} {fast['n']:5d}  {figures['fp32']['macro_f1']:13.3f} {fast['macro_f1']:13.3f} {fast['neutral_recall']:22.3f}")


if __name__ == "__main__":
    main()
