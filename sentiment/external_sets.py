"""Public evaluation sets (never used for training), read into (text, label) rows.

- SST-2 dev: `text<TAB>label`, 0 negative, 1 positive (binary: no neutral class).
- TweetEval sentiment: `*_text.txt` with `*_labels.txt` beside it; 0 negative, 1 neutral, 2 positive.
- VADER ground truth: `id<TAB>score<TAB>text`, the mean of 20 raters from -4 to +4. Mapped to three
  classes with a dead band: score <= -0.5 negative, score >= +0.5 positive, else neutral. Half a
  point on a nine-point scale is about where raters stop agreeing on a direction.
- Our CSV: `text,label` with labels negative/neutral/positive.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sentiment.corpus import LabelledText, load_csv

VADER_NEUTRAL_BAND = 0.5
FORMATS = ("csv", "sst2", "tweeteval", "vader")


class EvalDataError(ValueError):
    pass


def load_eval_set(path: Path, fmt: str) -> list[LabelledText]:
    if not path.exists():
        raise EvalDataError(f"{path}: no such file")
    loader = {"csv": load_csv, "sst2": load_sst2, "tweeteval": load_tweeteval, "vader": load_vader}.get(fmt)
    if loader is None:
        raise EvalDataError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    rows = loader(path)
    if not rows:
        raise EvalDataError(f"{path}: no rows")
    return rows


def load_sst2(path: Path) -> list[LabelledText]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, parts in enumerate(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if len(parts) < 2 or parts[-1].strip() not in ("0", "1"):
                if number == 1:
                    continue  # header
                raise EvalDataError(f"{path}, line {number}: expected text<TAB>0|1")
            rows.append(LabelledText(parts[0], "positive" if parts[-1].strip() == "1" else "negative"))
    return rows


def load_tweeteval(text_path: Path) -> list[LabelledText]:
    labels_path = text_path.with_name(text_path.name.replace("_text", "_labels"))
    if labels_path == text_path or not labels_path.exists():
        raise EvalDataError(f"{text_path}: expected the labels file {labels_path.name} beside it")
    texts = text_path.read_text(encoding="utf-8").splitlines()
    labels = labels_path.read_text(encoding="utf-8").split()
    if len(texts) != len(labels):
        raise EvalDataError(f"{text_path}: {len(texts)} texts but {len(labels)} labels")
    names = {"0": "negative", "1": "neutral", "2": "positive"}
    return [LabelledText(t, names[l]) for t, l in zip(texts, labels)]


def vader_class(score: float) -> str:
    if score <= -VADER_NEUTRAL_BAND:
        return "negative"
    if score >= VADER_NEUTRAL_BAND:
        return "positive"
    return "neutral"


def load_vader(path: Path) -> list[LabelledText]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        parts = line.split("\t")
        if len(parts) < 3:
            continue
        try:
            score = float(parts[1])
        except ValueError:
            raise EvalDataError(f"{path}, line {number}: score {parts[1]!r} is not a number") from None
        rows.append(LabelledText("\t".join(parts[2:]), vader_class(score), intensity=score / 4))
    return rows
