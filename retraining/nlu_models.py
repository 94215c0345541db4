"""The assistant's NLU model: training, parsing messages, evaluating on held-out examples."""

from __future__ import annotations

import hashlib
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import httpx
import yaml

from retraining.rasa_env import ensure_encoder, latest_model, rasa_environment, train_command
from kizuna.settings import Settings

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
    from kizuna.db.engine import session_scope
    from retraining.registry import active

    with session_scope(settings.effective_database_url) as session:
        version = active(session, "nlu")
        path = Path(version.path) if version else None
    return path if path is not None and path.exists() else None


def rasa_status(url: str, token: str, timeout: float = 2.0) -> Optional[dict]:
    """What a rasa server at `url` says of itself (model_id, model_file, ...); None if it does not answer."""
    try:
        response = httpx.get(f"{url}/status", params={"token": token}, timeout=timeout)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


def server_is_up(url: str, token: str, timeout: float = 2.0) -> bool:
    """Whether a rasa server answers its status call at `url`."""
    return rasa_status(url, token, timeout) is not None


def intent_of(url: str, token: str) -> Callable[[str], tuple[Optional[str], Optional[float]]]:
    """Parsing one message at a time with a running rasa server: text → (intent, confidence)."""
    def parse_one(text: str) -> tuple[Optional[str], Optional[float]]:
        result = next(parse([text], url, token))
        return result["intent"], result["confidence"]

    return parse_one


def load_into_server(url: str, token: str, model: Path, timeout: float = 180.0, confirmations: int = 12) -> None:
    """Make a running rasa server serve `model` from now on (no restart). A rasa server with several workers
    (processes) loads it in the one worker that takes the request, so the model is sent again until
    `confirmations` status calls in a row, each on a new connection that any worker may take, report it."""
    deadline = time.monotonic() + timeout
    confirmed, send = 0, True
    while confirmed < confirmations:
        if time.monotonic() > deadline:
            raise httpx.TimeoutException(f"the rasa server at {url} did not report {model.name} within {timeout:g} s")
        if send:
            response = httpx.put(f"{url}/model", params={"token": token}, json={"model_file": str(model)}, timeout=timeout)
            response.raise_for_status()
        status = rasa_status(url, token, timeout=30.0)
        serves = status is not None and Path(status.get("model_file") or "").name == model.name
        confirmed, send = (confirmed + 1, False) if serves else (0, True)


def parse(texts: Iterable[str], url: str, token: str) -> Iterator[dict]:
    """Parse each text with a running rasa server; one dict per text: text, intent and confidence as the
    assistant acts on them, and raw_intent and raw_confidence, the classifier's own best guess before the
    fallback threshold."""
    with httpx.Client(timeout=30.0) as client:
        for text in texts:
            response = client.post(f"{url}/model/parse", params={"token": token}, json={"text": text})
            response.raise_for_status()
            result = response.json()
            intent = result.get("intent") or {}
            raw = next((r for r in result.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"), intent)
            yield {"text": text, "intent": intent.get("name"), "confidence": _rounded(intent.get("confidence")),
                   "raw_intent": raw.get("name"), "raw_confidence": _rounded(raw.get("confidence"))}


def _rounded(confidence: object) -> float:
    return round(float(confidence or 0.0), 4)
