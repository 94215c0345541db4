"""The assistant's NLU model: training, parsing messages, evaluating on held-out examples."""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import httpx
import yaml

from kizuna.rasa_env import TRAINING_DATA, rasa_environment, train_command
from kizuna.settings import PROJECT_ROOT, Settings

ANNOTATION = re.compile(r"\[([^\]]+)\]\((?:[^)]+)\)|\[([^\]]+)\]\{[^}]+\}")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


def strip_annotations(text: str) -> str:
    return ANNOTATION.sub(lambda m: m.group(1) or m.group(2), text)


def load_examples(path: Path) -> list[Example]:
    """Intent examples of a Rasa YAML NLU file, entity annotations removed."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples = []
    for item in document.get("nlu", []):
        if "intent" not in item:
            continue
        for line in str(item.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append(Example(strip_annotations(line[2:].strip()), item["intent"]))
    return examples


def training_fingerprint(settings: Settings) -> str:
    """A hash of everything the assistant is trained from: config, domain and training data."""
    digest = hashlib.sha256()
    files = [settings.bot_dir / "config.yml", settings.bot_dir / "domain.yml"]
    for folder in TRAINING_DATA:
        files += sorted((PROJECT_ROOT / folder).rglob("*.yml"))
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path_for(settings: Settings, fingerprint: str) -> Path:
    return settings.rasa_model_dir / f"assistant-{fingerprint}.tar.gz"


def is_current(settings: Settings) -> bool:
    return model_path_for(settings, training_fingerprint(settings)).exists()


def train(settings: Settings, force: bool = False) -> Path:
    """Train the assistant unless a model of the current data exists (or `force`)."""
    fingerprint = training_fingerprint(settings)
    target = model_path_for(settings, fingerprint)
    if target.exists() and not force:
        return target
    settings.rasa_model_dir.mkdir(parents=True, exist_ok=True)
    command = train_command(settings, settings.rasa_model_dir) + ["--fixed-model-name", target.name.removesuffix(".tar.gz")]
    subprocess.run(command, check=True, env=rasa_environment(settings), cwd=settings.var_dir)
    if not target.exists():
        raise RuntimeError("rasa train finished without writing a model")
    target.touch()
    return target


def parse(texts: Iterable[str], url: str, token: str) -> Iterator[dict]:
    """Parse each text with a running rasa server; one dict per text: text, intent, confidence."""
    with httpx.Client(timeout=30.0) as client:
        for text in texts:
            response = client.post(f"{url}/model/parse", params={"token": token}, json={"text": text})
            response.raise_for_status()
            intent = response.json().get("intent") or {}
            yield {"text": text, "intent": intent.get("name"), "confidence": round(float(intent.get("confidence") or 0.0), 4)}
