"""Reviewed log messages into the assistant's training data, in files of their own.

`data/nlu/from_logs.yml` holds the examples (each with its origin as Rasa example metadata);
intents that trainers invented get `bot/domain/from_logs.yml` and a rule that answers them
(`data/rules/from_logs.yml`; the answer text comes from `answers` in data/shop.yml, or the
generic one until a trainer writes it). Personal data is replaced by placeholders; messages that
already are training or held-out examples are left out; the test share of the reviews is never
exported, so candidate models can be judged on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from kizuna.db.reviews import ReviewedExample, normalised
from retraining.nlu_models import load_examples
from kizuna.personal_data import mask_personal_data
from kizuna.settings import Settings

EXPORT_NAME = "from_logs.yml"
HEADER = "# Written by `kizuna nlu export` from reviewed customer messages; edit in the console's inbox.\n"


@dataclass
class ExportSummary:
    path: str
    exported: int = 0
    already_known: int = 0
    total_in_file: int = 0
    new_intents: list[str] = field(default_factory=list)


def export_reviewed(settings: Settings, reviewed: Iterable[ReviewedExample]) -> ExportSummary:
    target = settings.data_dir / "nlu" / EXPORT_NAME
    known = _known_texts(settings, exclude=target)
    entries = _read_export(target)
    summary = ExportSummary(str(target))
    for example in reviewed:
        if example.split != "train" or not example.intent:
            continue
        text = _training_text(example.text)
        key = normalised(text)
        if not key or key in known:
            summary.already_known += 1
            continue
        summary.exported += key not in entries or entries[key]["intent"] != example.intent
        entries[key] = {"text": text, "intent": example.intent, "origin": example.origin}
    _write_export(target, entries.values())
    summary.total_in_file = len(entries)
    summary.new_intents = _declare_new_intents(settings, {e["intent"] for e in entries.values()})
    return summary


def _training_text(text: str) -> str:
    """Masked, on one line, and without brackets Rasa would read as entity annotations."""
    return " ".join(mask_personal_data(text).replace("[", "(").replace("]", ")").split())


def _known_texts(settings: Settings, exclude: Path) -> set[str]:
    files = [p for p in sorted((settings.data_dir / "nlu").glob("*.yml")) if p != exclude]
    files += sorted((settings.data_dir / "nlu_heldout").rglob("*.yml"))
    return {normalised(e.text) for path in files if path.exists() for e in load_examples(path)}


def _read_export(path: Path) -> dict[str, dict[str, str]]:
    """What an earlier export wrote (always the list-of-examples form)."""
    if not path.exists():
        return {}
    entries = {}
    for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        for example in item.get("examples") or []:
            if isinstance(example, dict) and str(example.get("text", "")).strip():
                text = str(example["text"]).strip()
                origin = str((example.get("metadata") or {}).get("origin", ""))
                entries[normalised(text)] = {"text": text, "intent": item["intent"], "origin": origin}
    return entries


def _write_export(path: Path, entries: Iterable[dict[str, str]]) -> None:
    by_intent: dict[str, list[dict]] = {}
    for entry in entries:
        by_intent.setdefault(entry["intent"], []).append({"text": entry["text"], "metadata": {"origin": entry["origin"]}})
    document = {"version": "3.1", "nlu": [{"intent": name, "examples": by_intent[name]} for name in sorted(by_intent)]}
    _write_yaml(path, document)


def _declare_new_intents(settings: Settings, intents: set[str]) -> list[str]:
    """Intents not in the hand-written domain get declared, with a rule that answers them."""
    domain_file = settings.domain_dir / EXPORT_NAME
    declared = set()
    for path in settings.domain_dir.glob("*.yml"):
        if path != domain_file:
            declared |= set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents", []) or [])
    new = sorted(intents - declared - {"nlu_fallback"})
    rules_file = settings.data_dir / "rules" / EXPORT_NAME
    if not new:
        domain_file.unlink(missing_ok=True)
        rules_file.unlink(missing_ok=True)
        return []
    _write_yaml(domain_file, {"version": "3.1", "intents": new})
    rules = [{"rule": f"answer {name}", "steps": [{"intent": name}, {"action": "action_answer"}]} for name in new]
    _write_yaml(rules_file, {"version": "3.1", "rules": rules})
    return new


def _write_yaml(path: Path, document: dict) -> None:
    """Whole file or nothing: written beside the target, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".yml.tmp")
    staging.write_text(HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")
    staging.replace(path)
