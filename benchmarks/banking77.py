"""The NLU's method (all-MiniLM-L6-v2 sentence vectors + a linear head, as bot/config.yml uses them) on
BANKING77, a public set of 77 banking intents written by other people: trained on 10 examples per
intent and on the whole train split, tested on its test split (never trained on).

    .venv/bin/python benchmarks/banking77.py [--data ../shared/data/banking77] [--seeds 3]

Needs the exported encoder (`kizuna setup` writes models/encoder). Published references: BERT
fine-tuned on the full set 93.7 %, 10-shot methods 85-90 % (85.2 % in the BANKING77 paper).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

from kizuna.settings import PROJECT_ROOT, get_settings
from nlu_encoder.encoder import SentenceEncoder
from nlu_encoder.intent_head import IntentHead

DEFAULT_DATA = PROJECT_ROOT.parent / "shared" / "data" / "banking77"


def read_split(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["category"] for row in rows]


def encode(encoder: SentenceEncoder, texts: list[str], what: str) -> np.ndarray:
    """One message at a time, as the assistant does when serving."""
    return np.stack([encoder.sentence_vectors([text])[0] for text in tqdm(texts, desc=f"encoding {what}", unit="msg")])


def few_shot_rows(labels: list[str], shots: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    return sorted(i for label in sorted(by_label) for i in rng.sample(by_label[label], shots))


def accuracy(head: IntentHead, vectors: np.ndarray, labels: list[str]) -> float:
    predicted = np.array(head.intents)[head.probabilities(vectors).argmax(axis=1)]
    return float((predicted == np.array(labels)).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with train.csv and test.csv")
    parser.add_argument("--shots", type=int, default=10, help="examples per intent in the few-shot run")
    parser.add_argument("--seeds", type=int, default=3, help="few-shot samples to average over")
    args = parser.parse_args()
    if not (args.data / "train.csv").exists():
        parser.error(f"no BANKING77 at {args.data} (train.csv, test.csv)")
    encoder = SentenceEncoder(get_settings().encoder_dir)
    train_texts, train_labels = read_split(args.data / "train.csv")
    test_texts, test_labels = read_split(args.data / "test.csv")
    train, test = encode(encoder, train_texts, "train"), encode(encoder, test_texts, "test")
    few = []
    for seed in range(args.seeds):
        rows = few_shot_rows(train_labels, args.shots, seed)
        few.append(accuracy(IntentHead.fit(train[rows], [train_labels[i] for i in rows]), test, test_labels))
    started = time.monotonic()
    full = accuracy(IntentHead.fit(train, train_labels), test, test_labels)
    print(json.dumps({
        "test_messages": len(test_labels),
        f"{args.shots}_shot_accuracy": round(statistics.mean(few), 4), f"{args.shots}_shot_runs": [round(a, 4) for a in few],
        "full_accuracy": round(full, 4), "full_training_seconds": round(time.monotonic() - started, 1),
        "references": {"bert_fine_tuned_full": 0.937, "ten_shot_published": [0.852, 0.90]},
    }, indent=1))


if __name__ == "__main__":
    main()
