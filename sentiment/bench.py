"""Latency and throughput of the fp32 torch model and the fast path, measured in one run."""

from __future__ import annotations

import statistics
import time
from typing import Callable, Sequence


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def single_message_latency(predict: Callable[[list[str]], object], texts: Sequence[str], warmup: int = 20) -> dict:
    for text in texts[:warmup]:
        predict([text])
    times = []
    for text in texts:
        started = time.perf_counter()
        predict([text])
        times.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(_percentile(times, 0.95), 3)}


def batch_throughput(predict_batch: Callable[[list[str]], object], texts: Sequence[str], batch_size: int = 32) -> float:
    predict_batch(list(texts[:batch_size]))
    started = time.perf_counter()
    for start in range(0, len(texts), batch_size):
        predict_batch(list(texts[start : start + batch_size]))
    return round(len(texts) / (time.perf_counter() - started), 1)


def compare(fp32, fast, texts: Sequence[str]) -> dict:  # type: ignore[no-untyped-def]
    """Both models on the same messages, interleaved per section so load affects both alike."""
    report = {"messages": len(texts)}
    for name, model in (("fp32", fp32), ("fast", fast)):
        report[name] = single_message_latency(model.predict, texts)
        batch = getattr(model, "predict_batch", model.predict)
        report[name]["throughput_batch32_per_s"] = batch_throughput(batch, texts)
    report["speedup_p50"] = round(report["fp32"]["p50_ms"] / report["fast"]["p50_ms"], 2)
    report["speedup_p95"] = round(report["fp32"]["p95_ms"] / report["fast"]["p95_ms"], 2)
    report["throughput_ratio"] = round(report["fast"]["throughput_batch32_per_s"] / report["fp32"]["throughput_batch32_per_s"], 2)
    return report
