"""One training run end to end: fine-tune, evaluate on held-out data, model card, fast path."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Optional, Sequence

from tqdm import tqdm

from sentiment.corpus import LabelledText, load_csv
from sentiment.evaluate import evaluate
from sentiment.fast import export_fast_path
from sentiment.model import TorchSentimentModel
from sentiment.train import TrainingConfig, build_card, fine_tune, model_version, timer, write_model_card


def run_training(train_path: Path, heldout_path: Path, out_dir: Path, epochs: int, limit: Optional[int], seed: int,
                 extra: Sequence[LabelledText] = (), on_step: Optional[Callable[[int, int], None]] = None,
                 evaluate_heldout: bool = True, dev_path: Optional[Path] = None) -> dict:
    """`extra`: examples besides the corpus file (corrected labels from the conversation logs);
    `evaluate_heldout=False` when the caller evaluates the model itself (a retrain compares two).
    The dev split calibrates the probabilities and is reported; the held-out split is only reported."""
    examples = (load_csv(train_path)[:limit] if limit else load_csv(train_path)) + list(extra)
    heldout = load_csv(heldout_path) if heldout_path.exists() and evaluate_heldout else []
    dev = load_csv(dev_path) if dev_path and dev_path.exists() else []
    config = TrainingConfig(epochs=epochs, seed=seed)
    elapsed = timer()
    staging = out_dir.with_name(out_dir.name + ".training")
    with tqdm(total=1, desc="fine-tuning", unit="step") as bar:
        def progress(step: int, total: int, loss: float) -> None:
            bar.total = total
            bar.update(step - bar.n)
            bar.set_postfix(loss=f"{loss:.3f}")
            if on_step:
                on_step(step, total)

        _model, temperature = fine_tune(examples, staging, config, progress, calibration=dev)
    seconds = elapsed()
    trained = TorchSentimentModel(staging)
    figures = evaluate(trained, heldout) if heldout else {}
    card = build_card(model_version(examples, config), train_path, heldout_path, config, len(examples), seconds, _summary(figures), len(heldout))
    card["extra_examples"] = len(extra)
    card["temperature"] = temperature
    card["dev_metrics"] = _summary(evaluate(trained, dev)) if dev else {}
    write_model_card(staging, card)
    export_fast_path(staging)
    replace_dir(staging, out_dir)
    return card


def _summary(figures: dict) -> dict:
    keys = ("accuracy", "macro_f1", "macro_recall", "neutral_recall", "calibration_error", "n")
    return {key: figures[key] for key in keys if key in figures}


def replace_dir(staging: Path, target: Path) -> None:
    """Swap the new model in only once it is complete."""
    import shutil

    if target.exists():
        old = target.with_name(target.name + ".previous")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(target)
