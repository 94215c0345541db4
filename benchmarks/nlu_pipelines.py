"""Three NLU pipelines trained on the same data and judged on the same splits, in one run:

- before: DIET on word and character counts (the pipeline until the sentence encoder came);
- diet+minilm: DIET on the same counts plus all-MiniLM-L6-v2's dense features;
- minilm+linear: a linear head on all-MiniLM-L6-v2's sentence vector (what bot/config.yml uses).

    .venv/bin/python benchmarks/nlu_pipelines.py [--only before,minilm+linear] [--diet-epochs 80]

For each: training time, dev and locked-test accuracy, out-of-scope recall, and the p50/p95 of one
/model/parse call (the same messages, one at a time), with its ratio to the first pipeline's.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import yaml

from retraining import nlu_models as nlu
from operations.nlu_report import split_figures
from retraining.rasa_env import rasa_bin, rasa_environment, temporary_nlu_server
from kizuna.settings import get_settings

TOKENIZER = {"name": "WhitespaceTokenizer"}
COUNTS = [{"name": "RegexFeaturizer"}, {"name": "LexicalSyntacticFeaturizer"}, {"name": "CountVectorsFeaturizer"},
          {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}]
ENCODER = {"name": "bot.encoder_featurizer.SentenceEncoderFeaturizer", "alias": "minilm"}
DIET = {"name": "DIETClassifier", "epochs": 80, "entity_recognition": False, "constrain_similarities": True, "random_seed": 42}
AFTER = [{"name": "RegexEntityExtractor", "use_lookup_tables": False, "use_regexes": True}, {"name": "EntitySynonymMapper"},
         {"name": "FallbackClassifier", "threshold": 0.4, "ambiguity_threshold": 0.05}]


def pipelines(diet_epochs: int) -> dict[str, list[dict]]:
    diet = DIET | {"epochs": diet_epochs}
    served = yaml.safe_load((get_settings().bot_dir / "config.yml").read_text())["pipeline"]
    return {"before": [TOKENIZER, *COUNTS, diet, *AFTER],
            "diet+minilm": [TOKENIZER, *COUNTS, ENCODER, diet, *AFTER],
            "minilm+linear": copy.deepcopy(served)}


def snapshot(folder: Path) -> Path:
    """The training data as it is now: every pipeline learns from the same examples even if the files change."""
    return Path(shutil.copytree(get_settings().data_dir / "nlu", folder / "nlu"))


def train(name: str, pipeline: list[dict], folder: Path, data: Path) -> tuple[Path, float]:
    settings = get_settings()
    config = folder / f"{name}.yml"
    config.write_text(yaml.safe_dump({"recipe": "default.v1", "language": "en", "assistant_id": "kizuna", "pipeline": pipeline}))
    started = time.monotonic()
    subprocess.run([str(rasa_bin(settings)), "train", "nlu", "--config", str(config), "--nlu", str(data),
                    "--out", str(folder), "--fixed-model-name", name], check=True, env=rasa_environment(settings), cwd=folder,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return folder / f"{name}.tar.gz", time.monotonic() - started


def judge(model: Path, folder: Path) -> dict:
    settings = get_settings()
    figures: dict = {}
    with temporary_nlu_server(settings, model, folder / "rasa.log") as (url, token):
        for split, report in split_figures(settings, url, token).items():
            figures[split] = {k: report[k] for k in ("n", "accuracy", "macro_f1", "out_of_scope_recall", "fallback_rate")}
        figures["latency_ms"] = parse_latency(url, token, [e.text for e in nlu.load_examples_from(nlu.heldout_dir(settings, "dev"))])
    return figures


def parse_latency(url: str, token: str, texts: list[str]) -> dict:
    times = []
    with httpx.Client(timeout=30) as client:
        for text in texts[:10]:  # warm-up
            client.post(f"{url}/model/parse", params={"token": token}, json={"text": text})
        for text in texts:
            started = time.perf_counter()
            client.post(f"{url}/model/parse", params={"token": token}, json={"text": text}).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": round(statistics.median(times), 2), "p95": round(times[int(0.95 * (len(times) - 1))], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated pipeline names (default: all three)")
    parser.add_argument("--diet-epochs", type=int, default=80, help="DIET epochs (80 as the old pipeline had)")
    args = parser.parse_args()
    chosen = pipelines(args.diet_epochs)
    if args.only:
        chosen = {name: chosen[name] for name in args.only.split(",")}
    results = {}
    with tempfile.TemporaryDirectory(prefix="kizuna-nlu-pipelines-") as scratch:
        data = snapshot(Path(scratch))
        for name, pipeline in chosen.items():
            print(f"training {name}...", flush=True)
            model, seconds = train(name, pipeline, Path(scratch), data)
            results[name] = {"training_seconds": round(seconds, 1), **judge(model, Path(scratch))}
            print(json.dumps({name: results[name]}), flush=True)
    base = next(iter(results.values()))["latency_ms"]["p50"]
    for name, figures in results.items():
        figures["latency_p50_ratio_to_first"] = round(figures["latency_ms"]["p50"] / base, 2)
        figures["latency_p50_added_ms"] = round(figures["latency_ms"]["p50"] - base, 2)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
