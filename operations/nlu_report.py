"""The evaluation report beside a trained assistant: its figures on the dev and the locked test split,
written to models/rasa/<name>.eval.json for the models page and for `kizuna setup` to print."""

from __future__ import annotations

import json
from pathlib import Path

from retraining import nlu_models as nlu
from operations.nlu_evaluation import intent_report
from retraining.rasa_env import temporary_nlu_server
from kizuna import rasa_client
from kizuna.settings import Settings
from retraining.serving import report_path

KEPT = ("n", "accuracy", "macro_f1", "in_scope_accuracy", "out_of_scope_recall", "fallback_rate", "per_intent_recall",
        "most_confused")


def split_figures(settings: Settings, url: str, token: str) -> dict[str, dict]:
    """intent_report of the rasa server at `url` on each held-out split."""
    figures = {}
    for split in nlu.HELDOUT_SPLITS:
        examples = nlu.load_examples_from(nlu.heldout_dir(settings, split))
        parsed = list(rasa_client.parse((e.text for e in examples), url, token))
        figures[split] = intent_report([e.intent for e in examples], [p["intent"] or "" for p in parsed], [p["confidence"] for p in parsed])
    return figures


def evaluate_splits(settings: Settings, model: Path) -> dict:
    """Figures of `model` on each held-out split, with one temporary rasa server."""
    with temporary_nlu_server(settings, model, settings.var_dir / "logs" / "rasa-evaluation.log") as (url, token):
        figures = split_figures(settings, url, token)
    return {split: {key: report[key] for key in KEPT} | {"expected_calibration_error": report["reliability"]["expected_calibration_error"]}
            for split, report in figures.items()}


def write_report(settings: Settings, model: Path) -> dict:
    report = evaluate_splits(settings, model)
    report_path(model).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def has_report(model: Path) -> bool:
    return report_path(model).exists()
