"""Latency and throughput of the fp32 torch model and the fast path, measured in one run."""

from __future__ import annotations

import os
import statistics
import time
from typing import Callable, Sequence

Predict = Callable[[list[str]], object]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _timed(predict: Predict, texts: list[str]) -> float:
    started = time.perf_counter()
    predict(texts)
    return time.perf_counter() - started


def single_message_latency(predicts: dict[str, Predict], texts: Sequence[str], warmup: int = 20, block: int = 50) -> dict:
    """p50/p95 in ms per model. The models take turns on blocks of messages, so changing load hits
    them alike while each runs with its own weights in the cache, as it would when serving."""
    for text in texts[:warmup]:
        for predict in predicts.values():
            predict([text])
    times: dict[str, list[float]] = {name: [] for name in predicts}
    for start in range(0, len(texts), block):
        for name, predict in predicts.items():
            times[name] += [_timed(predict, [text]) * 1000 for text in texts[start : start + block]]
    return {
        name: {"p50_ms": round(statistics.median(ms), 3), "p95_ms": round(_percentile(ms, 0.95), 3)}
        for name, ms in times.items()
    }


def batch_throughput(predicts: dict[str, Predict], texts: Sequence[str], batch_size: int = 32) -> dict:
    """Messages per second per model, taking turns batch by batch."""
    batches = [list(texts[start : start + batch_size]) for start in range(0, len(texts), batch_size)]
    for predict in predicts.values():
        predict(batches[0])
    seconds = dict.fromkeys(predicts, 0.0)
    for batch in batches:
        for name, predict in predicts.items():
            seconds[name] += _timed(predict, batch)
    return {name: round(len(texts) / total, 1) for name, total in seconds.items()}


def compare(fp32, fast, texts: Sequence[str]) -> dict:  # type: ignore[no-untyped-def]
    """Both models on the same messages, taking turns so that load affects both alike."""
    report: dict = {"messages": len(texts), "load_average_1min": round(os.getloadavg()[0], 2)}
    report.update(single_message_latency({"fp32": fp32.predict, "fast": fast.predict}, texts))
    batch = {"fp32": fp32.predict, "fast": getattr(fast, "predict_batch", fast.predict)}
    for name, per_second in batch_throughput(batch, texts).items():
        report[name]["throughput_batch32_per_s"] = per_second
    report["speedup_p50"] = round(report["fp32"]["p50_ms"] / report["fast"]["p50_ms"], 2)
    report["speedup_p95"] = round(report["fp32"]["p95_ms"] / report["fast"]["p95_ms"], 2)
    report["throughput_ratio"] = round(report["fast"]["throughput_batch32_per_s"] / report["fp32"]["throughput_batch32_per_s"], 2)
    return report
