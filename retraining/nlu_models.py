"""The assistant's NLU model: training, parsing messages, evaluating on held-out examples."""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import yaml

from kizuna.db.engine import session_scope
from kizuna.settings import Settings
from retraining.rasa_env import ensure_encoder, latest_model, rasa_environment, train_command
from retraining.registry import active

ANNOTATION = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)|\[([^\]]+)\]\{[^}]+\}")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


HELDOUT_SPLITS = ("dev", "test")  # dev chooses (thresholds, retrain gate); test is only reported


def heldout_dir(settings: Settings, split: str) -> Path:
    if split not in HELDOUT_SPLITS:
        raise ValueError(f"no held-out split {split!r}; there are {', '.join(HELDOUT_SPLITS)}")
    return settings.data_dir / "nlu_heldout" / split


def load_examples_from(path: Path) -> list[Example]:
    """The intent examples of one Rasa NLU YAML file, or of every such file in a folder."""
    files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    return [example for file in files for example in load_examples(file)]


def strip_annotations(text: str) -> str:
    return ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)


def load_examples(path: Path) -> list[Example]:
    """Intent examples of a Rasa YAML NLU file, entity annotations removed."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples = []
    for item in document.get("nlu", []):
        if "intent" in item:
            examples += [Example(strip_annotations(text), item["intent"]) for text in example_texts(item.get("examples"))]
    return examples


def example_texts(examples: object) -> list[str]:
    """Rasa writes examples either as one "- text" block or as a list of {text, metadata}."""
    if isinstance(examples, list):
        return [str(e.get("text", "")).strip() if isinstance(e, dict) else str(e).strip() for e in examples]
    lines = (line.strip() for line in str(examples or "").splitlines())
    return [line[2:].strip() for line in lines if line.startswith("- ")]


def training_fingerprint(settings: Settings) -> str:
    """A hash of everything the assistant is trained from: config, domain and training data."""
    from nlu_encoder.export import FORMAT as ENCODER_FORMAT

    digest = hashlib.sha256(ENCODER_FORMAT.encode())
    files = [settings.bot_dir / "config.yml", *sorted(settings.domain_dir.rglob("*.yml"))]
    for folder in settings.training_data_dirs:
        files += sorted(folder.rglob("*.yml"))
    for path in files:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path_for(settings: Settings, fingerprint: str) -> Path:
    return settings.rasa_model_dir / f"assistant-{fingerprint}.tar.gz"


def is_current(settings: Settings) -> bool:
    return model_path_for(settings, training_fingerprint(settings)).exists()


def train(settings: Settings, force: bool = False) -> Path:
    """Train the assistant unless a model of the current data exists (or `force`)."""
    target = model_path_for(settings, training_fingerprint(settings))
    if target.exists() and not force:
        return target
    run_rasa_training(settings, target)
    return target


def run_rasa_training(settings: Settings, target: Path, finetune_from: Optional[Path] = None, epoch_fraction: float = 0.5,
                      on_line: Optional[Callable[[str], None]] = None) -> None:
    """`rasa train` into `target`, fine-tuning `finetune_from` if given; each output line goes to `on_line`."""
    settings.rasa_model_dir.mkdir(parents=True, exist_ok=True)
    ensure_encoder(settings)
    command = train_command(settings, target.parent) + ["--fixed-model-name", target.name.removesuffix(".tar.gz")]
    if finetune_from is not None:
        command += ["--finetune", str(finetune_from), "--epoch-fraction", str(epoch_fraction)]
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(command, env=rasa_environment(settings), cwd=settings.var_dir, text=True,
                               stdout=None if on_line is None else subprocess.PIPE, stderr=subprocess.STDOUT)
    if on_line is not None and process.stdout is not None:
        for line in process.stdout:
            on_line(line.rstrip("\n"))
    if process.wait() != 0:
        raise RasaTrainingFailed(f"rasa train exited with code {process.returncode}")
    if not target.exists():
        raise RasaTrainingFailed("rasa train finished without writing a model")
    target.touch()


class RasaTrainingFailed(RuntimeError):
    pass


def serving_model(settings: Settings) -> Optional[Path]:
    """The model the assistant serves: the active version if one was promoted, else the model of
    the current training data, else the newest one."""
    try:
        promoted = promoted_model(settings)
    except Exception:  # no database yet (or one from before versioning): fall back to the files
        promoted = None
    if promoted is not None:
        return promoted
    current = model_path_for(settings, training_fingerprint(settings))
    return current if current.exists() else latest_model(settings.rasa_model_dir)


def promoted_model(settings: Settings) -> Optional[Path]:
    """The active NLU version's model file, if one was promoted and its file is still there."""
    with session_scope(settings.effective_database_url) as session:
        version = active(session, "nlu")
        path = Path(version.path) if version else None
    return path if path is not None and path.exists() else None
