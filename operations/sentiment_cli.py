"""`kizuna sentiment ...`: train, evaluate, predict and benchmark the sentiment model."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import click

from kizuna.settings import get_settings
from sentiment.corpus import CorpusError, load_csv, split_path
from sentiment.external_sets import FORMATS, EvalDataError, load_eval_set
from sentiment.train import TrainingConfig
from operations.cli_output import echo_json


def _default_model_dir() -> Path:
    return get_settings().sentiment_model_dir


def _corpus_split(split: str) -> Path:
    """A split of the corpus under KIZUNA_DATA_DIR (data/ by default)."""
    return split_path(get_settings().sentiment_corpus_dir, split)


def _load(model_dir: Optional[Path], fp32: bool = False, threads: int = 1):  # type: ignore[no-untyped-def]
    from sentiment.fast import load_sentiment_model
    from sentiment.model import ModelNotFound, parse_label_map

    try:
        return load_sentiment_model(model_dir or _default_model_dir(), fast=not fp32, label_map=parse_label_map(get_settings().sentiment_labels),
                                    threads=threads)
    except (ModelNotFound, ValueError) as error:
        raise click.ClickException(str(error))



@click.group(help="Sentiment of customer messages: a fine-tuned MiniLM transformer with an ONNX int8 fast path.")
def sentiment() -> None:
    pass


@sentiment.command(help="Rebuild train.csv, dev.csv and heldout.csv from data/sentiment/corpus/*.csv (under KIZUNA_DATA_DIR) (de-duplicated; each message's split follows from its text).")
def split() -> None:
    from sentiment.corpus_split import write_splits

    try:
        echo_json(write_splits(get_settings().sentiment_corpus_dir))
    except CorpusError as error:
        raise click.ClickException(str(error))


@sentiment.command(help="Fine-tune the model on the corpus, evaluate it on the held-out split, save it with a model card and the fast path.")
@click.option("--data", "data_path", type=click.Path(path_type=Path), help="Training CSV (text,label). Default: data/sentiment/train.csv.")
@click.option("--dev", "dev_path", type=click.Path(path_type=Path), help="Dev CSV the temperature is fitted on. Default: data/sentiment/dev.csv.")
@click.option("--heldout", "heldout_path", type=click.Path(path_type=Path), help="Held-out CSV, never trained on. Default: data/sentiment/heldout.csv.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), help="Where to save (default: the configured model directory).")
@click.option("--epochs", type=click.IntRange(1, 50), default=TrainingConfig.epochs, show_default=True)
@click.option("--limit", type=click.IntRange(1), help="Train on the first N examples only (quick checks).")
@click.option("--seed", default=13, show_default=True)
def train(data_path: Optional[Path], dev_path: Optional[Path], heldout_path: Optional[Path], out_dir: Optional[Path], epochs: int,
          limit: Optional[int], seed: int) -> None:
    from sentiment.training_run import run_training

    try:
        card = run_training(data_path or _corpus_split("train"), heldout_path or _corpus_split("heldout"), out_dir or _default_model_dir(),
                            epochs, limit, seed, dev_path=dev_path or _corpus_split("dev"))
    except CorpusError as error:
        raise click.ClickException(str(error))
    echo_json({"version": card["version"], "training_seconds": card["training_seconds"], "heldout": card["heldout_metrics"]})


@sentiment.command("eval", help="Evaluate on a labelled set; prints JSON: accuracy, macro-F1, macro-recall, per-class figures, confusion matrix.")
@click.option("--data", "data_path", type=click.Path(path_type=Path), required=True, help="The file (for tweeteval: the *_text.txt file).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--model", "model_dir", type=click.Path(path_type=Path), help="Model directory (default: the configured one).")
@click.option("--fp32", is_flag=True, help="Use the plain torch model instead of the fast path.")
def eval_command(data_path: Path, fmt: str, model_dir: Optional[Path], fp32: bool) -> None:
    from sentiment.evaluate import evaluate

    try:
        rows = load_eval_set(data_path, fmt)
    except (EvalDataError, CorpusError) as error:
        raise click.ClickException(str(error))
    model = _load(model_dir, fp32)
    figures = evaluate(model, rows, binary=fmt == "sst2")
    echo_json({"data": str(data_path), "format": fmt, "path": "fp32" if fp32 else "fast", "model": model.version, **figures})


@sentiment.command(help="Read one message per line on stdin; print one JSON object per line: label, score, probs.")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), help="Model directory (default: the configured one).")
def predict(model_dir: Optional[Path]) -> None:
    model = _load(model_dir)
    for line in sys.stdin:
        echo_json(model.predict([line.rstrip("\n")])[0].to_dict())


@sentiment.command(help="Latency (batch 1) and throughput (batch 32) of the fp32 model and the fast path, in one run.")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), help="Model directory (default: the configured one).")
@click.option("--n", "count", type=click.IntRange(40, 5000), default=300, show_default=True, help="Messages from the held-out corpus.")
@click.option("--threads", type=click.IntRange(1, 64), default=1, show_default=True,
              help="CPU threads each model may use (the same for both; the action server runs on 1).")
def bench(model_dir: Optional[Path], count: int, threads: int) -> None:
    import torch

    from sentiment.bench import compare

    torch.set_num_threads(threads)
    texts = [row.text for row in load_csv(_corpus_split("heldout"))][:count]
    report = compare(_load(model_dir, fp32=True), _load(model_dir, threads=threads), texts)
    echo_json({"threads": threads, **report})


if __name__ == "__main__":
    sentiment()
