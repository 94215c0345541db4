"""Sentiment predictions from a Hugging Face sequence-classification model (torch, fp32).

Behaviour on odd input, documented: empty or whitespace-only text is `neutral` with probabilities
(0, 1, 0) and score 0, without running the model. Very long text is cut to its first 2,000
characters and 128 tokens. Anything else (emoji, other languages, binary junk) goes through the
model; text the model cannot read tends towards neutral with low confidence.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from sentiment.labels import LABELS
from sentiment.text import MAX_TOKENS, prepare_text

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float
    probs: dict[str, float]

    def to_dict(self) -> dict:
        return {"label": self.label, "score": self.score, "probs": self.probs}


NEUTRAL_EMPTY = Prediction("neutral", 0.0, {"negative": 0.0, "neutral": 1.0, "positive": 0.0})


class ModelNotFound(FileNotFoundError):
    pass


def prediction_from_probs(probs: Sequence[float]) -> Prediction:
    named = {label: round(float(p), 4) for label, p in zip(LABELS, probs)}
    label = max(named, key=named.__getitem__)
    return Prediction(label, round(named["positive"] - named["negative"], 4), named)


def read_model_card(path: Path) -> dict:
    card = path / "model_card.json"
    return json.loads(card.read_text()) if card.exists() else {}


def parse_label_map(text: str) -> dict[str, str]:
    """"LABEL_0=negative,LABEL_1=positive" → {"LABEL_0": "negative", ...}: how a configured model's labels read in ours."""
    mapping = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        name, _, ours = pair.partition("=")
        if ours.strip().lower() not in LABELS:
            raise ValueError(f"sentiment label mapping {pair!r}: the right side must be one of {', '.join(LABELS)}")
        mapping[name.strip()] = ours.strip().lower()
    return mapping


def label_order(config_id2label: dict, label_map: Optional[dict[str, str]]) -> list[Optional[str]]:
    """For each output of the model, which of our labels it is (None: not one of ours)."""
    mapping = {k.lower(): v for k, v in (label_map or {}).items()}
    order = []
    for index in range(len(config_id2label)):
        name = str(config_id2label[index]).lower()
        order.append(mapping.get(name, name if name in LABELS else None))
    return order


def to_three_classes(raw: Sequence[float], order: list[Optional[str]]) -> list[float]:
    probs = dict.fromkeys(LABELS, 0.0)
    for value, label in zip(raw, order):
        if label is not None:
            probs[label] += float(value)
    total = sum(probs.values()) or 1.0
    return [probs[label] / total for label in LABELS]


def looks_like_hub_id(name: str) -> bool:
    return not name.startswith(("/", ".", "~")) and name.count("/") == 1


class TorchSentimentModel:
    """Any local or hub sequence-classification model; `label_map` names its labels in ours."""

    def __init__(self, path: str | Path, label_map: Optional[dict[str, str]] = None) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        self.path = Path(path)
        if not (self.path.is_dir() or looks_like_hub_id(str(path))):
            raise ModelNotFound(f"no sentiment model at {path}; run `kizuna sentiment train`")
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.model = AutoModelForSequenceClassification.from_pretrained(str(path)).eval()
        self.order = label_order(self.model.config.id2label, label_map)
        self.version = read_model_card(self.path).get("version", self.path.name)

    def predict(self, texts: Sequence[object]) -> list[Prediction]:
        prepared = [prepare_text(t) for t in texts]
        results: list[Optional[Prediction]] = [None if t else NEUTRAL_EMPTY for t in prepared]
        todo = [i for i, t in enumerate(prepared) if t]
        if todo:
            for index, probs in zip(todo, self.probabilities([prepared[i] for i in todo])):
                results[index] = prediction_from_probs(probs)
        return results  # type: ignore[return-value]

    def probabilities(self, texts: list[str]) -> list[list[float]]:
        batch = self.tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        with self._torch.inference_mode():
            logits = self.model(**batch).logits
        raw = self._torch.softmax(logits, dim=-1).tolist()
        return [to_three_classes(row, self.order) for row in raw]
