"""The corpus's source files (data/sentiment/corpus/*.csv) split into train, dev and held-out test.

A message's split follows from a hash of its de-duplication key alone, so adding messages never
moves an existing one to another split, and near-duplicates always land together.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sentiment.corpus import SOURCES_FOLDER, SPLIT_FILES, CorpusError
from sentiment.labels import LABELS

TEST_SHARE = 0.10
DEV_SHARE = 0.10
MAX_CHARACTERS = 1000


@dataclass(frozen=True)
class SourceRow:
    text: str
    label: str
    topic: str
    source: str


def dedup_key(text: str) -> str:
    """Lowercase letters and emoji/symbols only: punctuation, digits and spacing do not make a new message.

    A run of the same emoji counts once, and emoji stay in the key so "👍" and "👎" remain distinct.
    A message without letters or emoji (an order number) is its own key, and a shouted one (every
    letter upper case) stays apart from its calm twin: "WHERE IS MY ORDER" is not "where is my order".
    """
    text = unicodedata.normalize("NFKC", text)
    letters = [char for char in text if char.isalpha()]
    shouted = len(letters) >= 4 and all(char.isupper() for char in letters)
    text = text if shouted else text.lower()
    kept: list[str] = []
    for char in text:
        if char.isalpha() or unicodedata.category(char) == "So":
            if not char.isalpha() and kept and kept[-1] == char:
                continue
            kept.append(char)
    return "".join(kept) or "".join(text.split())


def split_of(key: str) -> str:
    bucket = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big") / 2**32
    if bucket < TEST_SHARE:
        return "heldout"
    return "dev" if bucket < TEST_SHARE + DEV_SHARE else "train"


def read_sources(folder: Path) -> list[SourceRow]:
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise CorpusError(f"{folder}: no corpus files (*.csv with columns text,label,topic)")
    return [row for path in files for row in _read_source(path)]


def _read_source(path: Path) -> list[SourceRow]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["text", "label", "topic"]:
            raise CorpusError(f"{path}: needs the header text,label,topic (found {reader.fieldnames})")
        return [_source_row(path, number, row) for number, row in enumerate(reader, start=2)]


def _source_row(path: Path, number: int, row: dict) -> SourceRow:
    text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip()
    where = f"{path.name}, row {number}"
    if label not in LABELS:
        raise CorpusError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
    if not text:
        raise CorpusError(f"{where}: the text is empty")
    if len(text) > MAX_CHARACTERS or "\n" in text:
        raise CorpusError(f"{where}: a message is one line of at most {MAX_CHARACTERS} characters")
    return SourceRow(text, label, (row.get("topic") or "").strip(), path.stem)


def deduplicated(rows: list[SourceRow]) -> tuple[list[SourceRow], int]:
    """The first message of each key; two messages with one key and different labels are an error."""
    first: dict[str, SourceRow] = {}
    conflicts = []
    for row in rows:
        key = dedup_key(row.text)
        if key not in first:
            first[key] = row
        elif first[key].label != row.label:
            conflicts.append(f"{first[key].text!r} ({first[key].source}: {first[key].label}) vs "
                             f"{row.text!r} ({row.source}: {row.label})")
    if conflicts:
        raise CorpusError("the same message with different labels:\n" + "\n".join(conflicts[:20]))
    return list(first.values()), len(rows) - len(first)


def splits(rows: list[SourceRow]) -> dict[str, list[SourceRow]]:
    result: dict[str, list[SourceRow]] = {"train": [], "dev": [], "heldout": []}
    for row in rows:
        result[split_of(dedup_key(row.text))].append(row)
    return result


def split_csv_text(rows: list[SourceRow]) -> str:
    """The split file's exact contents: text,label rows in source order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows((row.text, row.label) for row in rows)
    return out.getvalue()


def write_splits(folder: Path) -> dict:
    """Rebuild train.csv, dev.csv and heldout.csv from the sources; returns the counts."""
    rows, dropped = deduplicated(read_sources(folder / SOURCES_FOLDER))
    parts = splits(rows)
    for name, part in parts.items():
        (folder / SPLIT_FILES[name]).write_text(split_csv_text(part), encoding="utf-8")
    return {"messages": len(rows), "duplicates_dropped": dropped,
            **{name: dict(Counter(row.label for row in part), total=len(part)) for name, part in parts.items()}}
