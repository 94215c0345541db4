"""The team's labelled corpus as split for training: CSV files with columns text,label."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from sentiment.labels import LABELS

SOURCES_FOLDER = "corpus"  # the hand-written source files, inside the corpus folder
SPLIT_FILES = {"train": "train.csv", "dev": "dev.csv", "heldout": "heldout.csv"}


def split_path(corpus_dir: Path, split: str) -> Path:
    """Where one split of the corpus in `corpus_dir` lives (train, dev or heldout)."""
    return corpus_dir / SPLIT_FILES[split]


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class LabelledText:
    text: str
    label: str
    intensity: Optional[float] = None  # a human rating from -1 to +1, where a set has one


def load_csv(path: Path) -> list[LabelledText]:
    """Rows of a text,label CSV; a clear error naming the row for anything malformed."""
    if not path.exists():
        raise CorpusError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
            raise CorpusError(f"{path}: needs the columns text,label (found {reader.fieldnames})")
        rows = [_row(path, number, row) for number, row in enumerate(reader, start=2)]
    if not rows:
        raise CorpusError(f"{path}: no rows")
    return rows


def _row(path: Path, number: int, row: dict) -> LabelledText:
    label = (row.get("label") or "").strip().lower()
    if label not in LABELS:
        raise CorpusError(f"{path}, row {number}, column label: {label!r} is not one of {', '.join(LABELS)}")
    return LabelledText(row.get("text") or "", label)
