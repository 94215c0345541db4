"""`kizuna nlu retrain`: validate the data, train a candidate, judge it against the serving model
on a fixed test set, and promote it only when it is not worse; the running assistant loads it."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import httpx

from retraining import nlu_models as nlu
from kizuna import rasa_client
from kizuna.db.engine import session_scope
from kizuna.db.reviews import reviewed_examples
from kizuna.personal_data import mask_personal_data
from retraining.rasa_env import data_arguments, rasa_bin, rasa_environment, temporary_nlu_server
from kizuna.settings import Settings
from kizuna.metrics import classification_summary
from retraining import registry
from retraining.comparison import DEFAULT_TOLERANCE, judge, per_label_changes

Progress = Callable[[str, float], None]
COMPONENT = re.compile(r"Starting to train component '(\w+)'")


class RetrainError(RuntimeError):
    pass


@dataclass(frozen=True)
class RetrainRequest:
    force: bool = False
    incremental: str = "auto"  # auto: fine-tune the serving model when Rasa allows it | always | never
    tolerance: float = DEFAULT_TOLERANCE
    epoch_fraction: float = 0.5  # of the configured epochs, when fine-tuning
    username: str = "cli"


def retrain(settings: Settings, request: RetrainRequest, progress: Progress) -> dict[str, Any]:
    url = settings.effective_database_url
    progress("validating the training data", 0.02)
    validate(settings)
    serving = _serving(settings)
    test_set = fixed_test_set(settings)
    candidate = nlu.model_path_for(settings, nlu.training_fingerprint(settings))
    if serving is not None and serving.name in (candidate.name, _incremental(candidate).name):
        return {"decision": "unchanged", "reason": "the training data has not changed since the serving model",
                "serving": serving.name.removesuffix(".tar.gz")}
    started = time.monotonic()
    candidate, incremental = _train_candidate(settings, candidate, serving, request, progress)
    seconds = round(time.monotonic() - started, 1)
    progress("evaluating both models on the fixed test set", 0.85)
    figures = evaluate_models(settings, [candidate] + ([serving] if serving else []), test_set)
    verdict = judge(figures[0]["all"], figures[1]["all"] if serving else None, request.tolerance, request.force)
    with session_scope(url) as session:
        row = registry.record(
            session, "nlu", candidate.name.removesuffix(".tar.gz"), str(candidate), status="refused",
            metrics=figures[0], compared_with=serving.name.removesuffix(".tar.gz") if serving else None,
            baseline_metrics=figures[1] if serving else None, training_seconds=seconds, incremental=incremental,
            note=verdict.reason, created_by=request.username,
        )
        if verdict.promote:
            registry.promote(session, row)
    loaded = load_into_running_assistant(settings, candidate) if verdict.promote else False
    progress("done", 1.0)
    return _report(candidate, serving, figures, verdict.promote, verdict.reason, seconds, incremental, loaded)


def rollback(settings: Settings) -> dict[str, Any]:
    with session_scope(settings.effective_database_url) as session:
        taken_out, serving = registry.rollback(session, "nlu")
        names, path = (taken_out.version, serving.version), Path(serving.path)
    return {"rolled_back": names[0], "serving": names[1], "loaded_by_running_assistant": load_into_running_assistant(settings, path)}


def validate(settings: Settings) -> None:
    """`rasa data validate`; its complaints end the retrain before any training."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([str(rasa_bin(settings)), "data", "validate", *data_arguments(settings)],
                            capture_output=True, text=True, env=rasa_environment(settings), cwd=settings.var_dir)
    if result.returncode != 0:
        problems = [line for line in (result.stdout + result.stderr).splitlines() if "ERROR" in line or "UserWarning" in line]
        raise RetrainError("the training data is not valid:\n" + "\n".join(problems[-15:] or [result.stdout[-2000:]]))


def fixed_test_set(settings: Settings) -> list[tuple[nlu.Example, str]]:
    """The dev split of the held-out examples plus the test share of the reviewed log messages, each with its
    source. The locked test split never gates a retrain: choosing by it would make it a dev set."""
    heldout = [(example, "heldout") for example in nlu.load_examples_from(nlu.heldout_dir(settings, "dev"))]
    with session_scope(settings.effective_database_url) as session:
        reviewed = [e for e in reviewed_examples(session) if e.split == "test" and e.intent]
    return heldout + [(nlu.Example(mask_personal_data(e.text), e.intent), "logs") for e in reviewed]


def evaluate_models(settings: Settings, models: list[Path], test_set: list[tuple[nlu.Example, str]]) -> list[dict[str, Any]]:
    """Figures of each model on the same test set: all of it, and the log share alone."""
    log_path = settings.var_dir / "logs" / "rasa-evaluation.log"
    results = []
    with temporary_nlu_server(settings, models[0], log_path) as (url, token):
        for index, model in enumerate(models):
            if index:
                rasa_client.load_into_server(url, token, model)
            predicted = [r["intent"] for r in rasa_client.parse((e.text for e, _ in test_set), url, token)]
            results.append(_figures(test_set, predicted))
    return results


def load_into_running_assistant(settings: Settings, model: Path) -> bool:
    """Tell the running rasa server to serve `model`; False when none is running (it starts with it next time)."""
    token = settings.effective_rasa_token
    if not rasa_client.server_is_up(settings.rasa_url, token):
        return False
    try:
        rasa_client.load_into_server(settings.rasa_url, token, model)
        return True
    except httpx.HTTPError:
        return False


def _serving(settings: Settings) -> Optional[Path]:
    """The serving model, registered as a version the first time (so a rollback can return to it)."""
    serving = nlu.serving_model(settings)
    if serving is None:
        return None
    with session_scope(settings.effective_database_url) as session:
        if registry.active(session, "nlu") is None:
            registry.promote(session, registry.record(session, "nlu", serving.name.removesuffix(".tar.gz"), str(serving),
                                                      note="serving before the first retrain"))
    return serving


def _train_candidate(settings: Settings, target: Path, serving: Optional[Path], request: RetrainRequest,
                     progress: Progress) -> tuple[Path, bool]:
    with _TrainingLog(settings, progress) as log:
        if serving is not None and request.incremental != "never":
            finetuned = _incremental(target)
            try:
                nlu.run_rasa_training(settings, finetuned, finetune_from=serving, epoch_fraction=request.epoch_fraction, on_line=log)
                return finetuned, True
            except nlu.RasaTrainingFailed:
                if request.incremental == "always":
                    raise RetrainError(f"incremental training failed (see {log.path}); the intents, domain or config "
                                       "changed, which needs a full training (--incremental never)")
                progress("incremental training not possible (intents, domain or config changed); training from scratch", 0.1)
        nlu.run_rasa_training(settings, target, on_line=log)
        return target, False


def _incremental(target: Path) -> Path:
    """Where a fine-tuned model of the same training data goes, beside the full one."""
    return target.with_name(target.name.replace(".tar.gz", "-incremental.tar.gz"))


class _TrainingLog:
    """Rasa's training output goes to var/logs/nlu-training.log; which component it trains becomes progress."""

    STEPS = 9  # components and policies in bot/config.yml, roughly

    def __init__(self, settings: Settings, progress: Progress) -> None:
        self.path = settings.var_dir / "logs" / "nlu-training.log"
        self.progress, self.started = progress, 0

    def __enter__(self) -> "_TrainingLog":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.path, "a", encoding="utf-8")
        return self

    def __exit__(self, *_: object) -> None:
        self.file.close()

    def __call__(self, line: str) -> None:
        self.file.write(line + "\n")
        match = COMPONENT.search(line)
        if match:
            self.started += 1
            self.progress(f"training {match.group(1)}", min(0.8, 0.1 + 0.7 * self.started / self.STEPS))


def _figures(test_set: list[tuple[nlu.Example, str]], predicted: list[Optional[str]]) -> dict[str, Any]:
    truth = [example.intent for example, _ in test_set]
    guesses = [p or "" for p in predicted]
    figures = {"all": classification_summary(truth, guesses)}
    logs = [(t, p) for (example, source), t, p in zip(test_set, truth, guesses) if source == "logs"]
    if logs:
        figures["logs"] = classification_summary([t for t, _ in logs], [p for _, p in logs])
    return figures


def _report(candidate: Path, serving: Optional[Path], figures: list[dict[str, Any]], promoted: bool, reason: str,
            seconds: float, incremental: bool, loaded: bool) -> dict[str, Any]:
    report: dict[str, Any] = {
        "decision": "promoted" if promoted else "refused", "reason": reason,
        "candidate": {"version": candidate.name.removesuffix(".tar.gz"), **figures[0]},
        "serving_before": None if serving is None else {"version": serving.name.removesuffix(".tar.gz"), **figures[1]},
        "training_seconds": seconds, "incremental": incremental, "loaded_by_running_assistant": loaded,
    }
    if serving is not None:
        report["per_intent_changes"] = per_label_changes(figures[0]["all"], figures[1]["all"])
    return report
