"""`kizuna sentiment retrain`: corrected labels from the conversations join the corpus, a candidate is
fine-tuned, judged against the serving model on the same test set, and promoted only when not worse.

Versions live in models/sentiment-versions/<version>/; the serving one is copied into the configured
model directory (models/sentiment), which the action servers reload when its model card changes.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from kizuna.db.engine import session_scope
from kizuna.db.reviews import sentiment_corrections
from kizuna.personal_data import mask_personal_data
from kizuna.settings import Settings
from retraining import registry
from retraining.comparison import DEFAULT_TOLERANCE, judge, per_label_changes
from sentiment.corpus import LabelledText, load_csv, split_path
from sentiment.evaluate import evaluate
from sentiment.fast import load_sentiment_model
from sentiment.model import read_model_card
from sentiment.train import TrainingConfig, write_model_card
from sentiment.training_run import replace_dir, run_training

Progress = Callable[[str, float], None]


class SentimentRetrainError(RuntimeError):
    pass


@dataclass(frozen=True)
class SentimentRetrainRequest:
    force: bool = False
    tolerance: float = DEFAULT_TOLERANCE
    epochs: Optional[int] = None
    limit: Optional[int] = None
    username: str = "cli"


def versions_dir(settings: Settings) -> Path:
    return settings.models_dir / "sentiment-versions"


def retrain(settings: Settings, request: SentimentRetrainRequest, progress: Progress) -> dict[str, Any]:
    if settings.sentiment_model:
        raise SentimentRetrainError("a model chosen by KIZUNA_SENTIMENT_MODEL is used as it is, not retrained here")
    progress("reading corrected labels", 0.02)
    train_extra, test_extra = _corrections(settings)
    _write_corrections(settings.sentiment_corpus_dir / "from_logs.csv", train_extra)
    serving = _serving(settings)
    started = time.monotonic()
    candidate = _train_candidate(settings, request, train_extra, progress)
    seconds = round(time.monotonic() - started, 1)
    progress("evaluating both models on the fixed test set", 0.9)
    test_set = [(row, "heldout") for row in load_csv(split_path(settings.sentiment_corpus_dir, "heldout"))] + [(row, "logs") for row in test_extra]
    figures = [_figures(candidate, test_set)] + ([_figures(serving, test_set)] if serving else [])
    verdict = judge(figures[0]["all"], figures[1]["all"] if serving else None, request.tolerance, request.force)
    _note_test_figures(candidate, figures[0]["all"])
    with session_scope(settings.effective_database_url) as session:
        row = registry.record(session, "sentiment", candidate.name, str(candidate), status="refused", metrics=figures[0],
                              compared_with=serving.name if serving else None, baseline_metrics=figures[1] if serving else None,
                              training_seconds=seconds, note=verdict.reason, created_by=request.username)
        if verdict.promote:
            _install(candidate, settings.sentiment_model_dir)
            registry.promote(session, row)
    progress("done", 1.0)
    return {
        "decision": "promoted" if verdict.promote else "refused", "reason": verdict.reason,
        "candidate": {"version": candidate.name, **figures[0]},
        "serving_before": {"version": serving.name, **figures[1]} if serving else None,
        "per_label_changes": per_label_changes(figures[0]["all"], figures[1]["all"]) if serving else [],
        "corrections": {"train": len(train_extra), "test": len(test_extra)}, "training_seconds": seconds,
    }


def rollback(settings: Settings) -> dict[str, Any]:
    with session_scope(settings.effective_database_url) as session:
        taken_out, serving = registry.rollback(session, "sentiment")
        _install(Path(serving.path), settings.sentiment_model_dir)
        return {"rolled_back": taken_out.version, "serving": serving.version}


def _corrections(settings: Settings) -> tuple[list[LabelledText], list[LabelledText]]:
    with session_scope(settings.effective_database_url) as session:
        rows = sentiment_corrections(session)
    masked = [(LabelledText(mask_personal_data(text), label), split) for text, label, split in rows]
    return [r for r, split in masked if split == "train"], [r for r, split in masked if split == "test"]


def _write_corrections(path: Path, rows: list[LabelledText]) -> None:
    """The corrected labels beside the corpus, so what a model learnt from stays reviewable."""
    if not rows:
        return
    staging = path.with_suffix(".csv.tmp")
    with staging.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows([row.text, row.label] for row in rows)
    staging.replace(path)


def _serving(settings: Settings) -> Optional[Path]:
    """The serving model's own version directory; the first time, the installed model is archived there."""
    with session_scope(settings.effective_database_url) as session:
        promoted = registry.active(session, "sentiment")
        if promoted is not None and Path(promoted.path).exists():
            return Path(promoted.path)
        card = read_model_card(settings.sentiment_model_dir)
        if not card.get("version"):
            return None
        archived = versions_dir(settings) / card["version"]
        if not archived.exists():
            shutil.copytree(settings.sentiment_model_dir, archived)
        registry.promote(session, registry.record(session, "sentiment", card["version"], str(archived),
                                                  note="serving before the first retrain"))
        return archived


def _train_candidate(settings: Settings, request: SentimentRetrainRequest, extra: list[LabelledText], progress: Progress) -> Path:
    staging = versions_dir(settings) / "candidate"
    shutil.rmtree(staging, ignore_errors=True)
    corpus = settings.sentiment_corpus_dir
    card = run_training(split_path(corpus, "train"), split_path(corpus, "heldout"), staging, request.epochs or TrainingConfig.epochs,
                        request.limit, TrainingConfig.seed, extra=extra, evaluate_heldout=False, dev_path=split_path(corpus, "dev"),
                        on_step=lambda step, total: progress("fine-tuning the candidate", 0.05 + 0.8 * step / total))
    target = versions_dir(settings) / card["version"]
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def _note_test_figures(model_dir: Path, figures: dict[str, Any]) -> None:
    """The model card records how the candidate did on the fixed test set."""
    card = read_model_card(model_dir)
    card["heldout_metrics"] = {k: figures[k] for k in ("accuracy", "macro_f1", "macro_recall", "n")}
    card["heldout_examples"] = figures["n"]
    write_model_card(model_dir, card)


def _install(version_dir: Path, serving_dir: Path) -> None:
    """Copy a version into the serving directory, swapped in whole."""
    staging = serving_dir.with_name(serving_dir.name + ".installing")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(version_dir, staging)
    replace_dir(staging, serving_dir)


def _figures(model_dir: Path, test_set: list[tuple[LabelledText, str]]) -> dict[str, Any]:
    """The fast path (what serves) on the whole test set and on the log share alone."""
    model = load_sentiment_model(model_dir, fast=True)
    figures = {"all": _comparable(evaluate(model, [row for row, _ in test_set]))}
    logs = [row for row, source in test_set if source == "logs"]
    if logs:
        figures["logs"] = _comparable(evaluate(model, logs))
    return figures


def _comparable(figures: dict[str, Any]) -> dict[str, Any]:
    """Sentiment figures in the shape the comparison reads (as the NLU's)."""
    labels = figures["labels"]
    confused = Counter({(labels[t], labels[p]): count for t, row in enumerate(figures["confusion_matrix"])
                        for p, count in enumerate(row) if t != p and count})
    return {**figures, "per_label_f1": {label: figures["per_class"][label]["f1"] for label in labels},
            "most_confused": [{"truth": t, "predicted": p, "count": c} for (t, p), c in confused.most_common(5)]}
