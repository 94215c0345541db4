"""The model each part of the assistant serves now, with what is known of it: which file, how it was
chosen, when it was trained and its held-out figures, whether or not a retrain ever registered it.

The assistant (NLU) serves what `retraining.nlu_models.serving_model` resolves: the promoted version, else the model
of the current training data (what setup trains), else the newest model file. Its held-out figures come
from the evaluation report beside the model, models/rasa/<name>.eval.json ({"dev": {...}, "test": {...}},
each with accuracy, macro_f1 and n). The sentiment model serves from its model directory; its model card
(model_card.json) holds its figures."""

from __future__ import annotations

import json
import math
import tarfile
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.orm import Session

from kizuna.settings import Settings
from retraining import nlu_models as nlu
from retraining import registry
from sentiment.model import looks_like_hub_id, read_model_card

NLU_SPLITS = {"dev": "held-out dev set", "test": "locked test set"}
MODEL_SUFFIX = ".tar.gz"
METADATA_LIMIT = 5 * 1024 * 1024  # a rasa model's metadata.json is far smaller; anything larger is not read


def nlu_model(session: Session, settings: Settings, loaded_file: Optional[str] = None, answered: bool = False) -> dict[str, Any]:
    """The assistant's serving model; `loaded_file` is what the running rasa server says it serves
    (`answered`: whether it answered at all)."""
    path = nlu.serving_model(settings)
    described: dict[str, Any] = _blank("nlu")
    described["running"] = {"answered": answered, "model_file": Path(loaded_file).name if loaded_file else None}
    if path is None:
        described["note"] = "No model has been trained yet: `kizuna setup` (or `make setup`) trains one."
        return described
    version = path.name.removesuffix(MODEL_SUFFIX)
    row = registry.find(session, "nlu", version)
    metadata = _rasa_metadata(path)
    described.update(version=version, file=_shown_path(path, settings), chosen=_how_nlu_was_chosen(settings, path, row),
                     trained_at=metadata.get("trained_at") or _modified(path), rasa_version=metadata.get("rasa_version"),
                     registered=_registered(row))
    report, problem = eval_report(path)
    described["evaluation_file"] = _shown_path(report_path(path), settings)
    described["figures"] = [] if problem else _nlu_figures(report)
    if problem:
        described["note"] = problem
    if answered and loaded_file and Path(loaded_file).name != path.name:
        described["note"] = (f"The running assistant serves {Path(loaded_file).name}, not this model: it loads the "
                             "serving model when it starts again (or when a retrain promotes one).")
    return described


def sentiment_model(session: Session, settings: Settings) -> dict[str, Any]:
    """The sentiment model the action servers load, from its model card."""
    described: dict[str, Any] = _blank("sentiment")
    directory = settings.sentiment_model_dir
    if settings.sentiment_model and not directory.exists() and looks_like_hub_id(settings.sentiment_model):
        described.update(version=settings.sentiment_model, file=settings.sentiment_model, chosen="configured",
                         note="A published model chosen by KIZUNA_SENTIMENT_MODEL, used as it is: no figures here.")
        return described
    if not directory.exists():
        described["note"] = "No sentiment model is installed yet: `kizuna setup` (or `make setup`) fine-tunes one."
        return described
    try:
        card = read_model_card(directory)
    except (OSError, ValueError):
        card, described["note"] = {}, "Its model card (model_card.json) could not be read."
    version = str(card.get("version") or directory.name)
    row = registry.find(session, "sentiment", version)
    active = registry.active(session, "sentiment")
    promoted = active is not None and active.version == version
    chosen = "configured" if settings.sentiment_model else "promoted" if promoted else "installed"
    described.update(version=version, file=_shown_path(directory, settings), chosen=chosen,
                     trained_at=card.get("trained_at") or _modified(directory), training_seconds=_number(card.get("training_seconds")),
                     train_examples=card.get("train_examples") if isinstance(card.get("train_examples"), int) else None,
                     registered=_registered(row), evaluation_file=_shown_path(directory / "model_card.json", settings))
    figures = _figure(card.get("heldout_metrics"), card.get("heldout_examples"))
    described["figures"] = [{"name": "heldout", "label": "held-out set", **figures}] if figures else []
    return described


def report_path(model: Path) -> Path:
    """Where the evaluation report of a rasa model file lives: beside it (assistant-1a2b.tar.gz: assistant-1a2b.eval.json)."""
    return model.with_name(model.name.removesuffix(MODEL_SUFFIX) + ".eval.json")


def eval_report(model: Path) -> tuple[dict[str, Any], Optional[str]]:
    """(the report, None), ({}, None) when there is none yet, or ({}, why it cannot be used)."""
    path = report_path(model)
    if not path.exists():
        return {}, None
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, f"The evaluation report {path.name} could not be read."
    if not isinstance(report, dict):
        return {}, f"The evaluation report {path.name} is not a set of figures."
    return report, None


def _nlu_figures(report: dict[str, Any]) -> list[dict[str, Any]]:
    figures = []
    for name, label in NLU_SPLITS.items():
        split = report.get(name)
        found = _figure(split, split.get("n") if isinstance(split, dict) else None)
        if found:
            figures.append({"name": name, "label": label, **found})
    return figures


def _figure(metrics: Any, n: Any) -> Optional[dict[str, Any]]:
    """accuracy and macro-F1 (fractions) and the number of examples, when they are figures at all."""
    if not isinstance(metrics, dict):
        return None
    accuracy, macro_f1 = _fraction(metrics.get("accuracy")), _fraction(metrics.get("macro_f1"))
    if accuracy is None and macro_f1 is None:
        return None
    count = n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None
    return {"accuracy": accuracy, "macro_f1": macro_f1, "n": count}


def _fraction(value: Any) -> Optional[float]:
    number = _number(value)
    return number if number is not None and 0.0 <= number <= 1.0 else None


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _how_nlu_was_chosen(settings: Settings, path: Path, row: Any) -> str:
    if row is not None and row.status == "active":
        return "promoted"
    try:
        current = nlu.model_path_for(settings, nlu.training_fingerprint(settings))
    except OSError:
        current = None
    return "current_data" if current is not None and current.name == path.name else "newest_file"


def _registered(row: Any) -> Optional[dict[str, Any]]:
    return None if row is None else registry.as_dict(row)


def _blank(kind: str) -> dict[str, Any]:
    return {"kind": kind, "version": None, "file": None, "chosen": None, "trained_at": None, "training_seconds": None,
            "figures": [], "evaluation_file": None, "registered": None, "note": None}


def _shown_path(path: Path, settings: Settings) -> str:
    """The path relative to the models directory's parent (models/rasa/…) when it is inside it."""
    try:
        return str(path.resolve().relative_to(settings.models_dir.resolve().parent))
    except ValueError:
        return str(path)


def _modified(path: Path) -> Optional[str]:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
    except OSError:
        return None


def _rasa_metadata(path: Path) -> dict[str, Any]:
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read_rasa_metadata(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _read_rasa_metadata(path: str, _mtime_ns: int, _size: int) -> dict[str, Any]:
    """trained_at and rasa_version from a rasa model archive's metadata.json (read once per file version)."""
    try:
        with tarfile.open(path, "r|gz") as archive:
            for member in archive:
                if member.isfile() and Path(member.name).name == "metadata.json" and member.size <= METADATA_LIMIT:
                    handle = archive.extractfile(member)
                    metadata = json.loads(handle.read()) if handle else {}
                    break
            else:
                return {}
    except (OSError, tarfile.TarError, ValueError, EOFError):
        return {}
    if not isinstance(metadata, dict):
        return {}
    version = metadata.get("rasa_open_source_version")
    return {"trained_at": _aware_iso(metadata.get("trained_at")), "rasa_version": version if isinstance(version, str) else None}


def _aware_iso(value: Any) -> Optional[str]:
    """Rasa writes when it trained in the machine's local time without an offset: the moment, in UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")  # a naive time is taken as local time
