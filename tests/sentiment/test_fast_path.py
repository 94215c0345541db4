"""The fast path's export: fused transformer blocks, the last layer on [CLS] only, int8 weights."""

import time

import numpy as np
import onnx
import onnxruntime
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from sentiment.bench import compare
from sentiment.fast import ONNX_INT8, OnnxSentimentModel, _export_onnx, _fuse, load_sentiment_model

TEXTS = ["ok", "the parcel is late again and nobody answers " * 20, "not bad at all, thanks!", "great, another delay"]


def test_fused_graph_gives_the_torch_logits(small_sentiment_model, tmp_path):
    raw, fused = tmp_path / "raw.onnx", tmp_path / "fused.onnx"
    _export_onnx(small_sentiment_model, raw)
    _fuse(small_sentiment_model, raw, fused)
    ops = {node.op_type for node in onnx.load(str(fused), load_external_data=False).graph.node}
    assert {"EmbedLayerNormalization", "Attention", "SkipLayerNormalization", "BiasGelu"} <= ops

    batch = AutoTokenizer.from_pretrained(str(small_sentiment_model))(TEXTS, padding=True, truncation=True, max_length=128, return_tensors="np")
    logits = onnxruntime.InferenceSession(str(fused)).run(None, dict(batch))[0]
    model = AutoModelForSequenceClassification.from_pretrained(str(small_sentiment_model)).eval()
    with torch.inference_mode():
        expected = model(**{k: torch.from_numpy(v) for k, v in batch.items()}).logits.numpy()
    assert np.abs(logits - expected).max() < 1e-4


def test_exported_fast_path_is_fused_int8_with_fp32_embeddings(small_sentiment_model):
    ops = {node.op_type for node in onnx.load(str(small_sentiment_model / ONNX_INT8), load_external_data=False).graph.node}
    assert {"QAttention", "MatMulInteger", "EmbedLayerNormalization"} <= ops
    assert not ops & {"Attention", "MatMul", "QEmbedLayerNormalization"}


def test_bench_measures_both_models_in_turns():
    calls = []

    class Recording:
        def __init__(self, name):
            self.name = name

        def predict(self, texts):
            calls.append(self.name)
            time.sleep(0.001)

    report = compare(Recording("fp32"), Recording("fast"), ["a", "b"] * 30)
    assert calls[:4] == ["fp32", "fast", "fp32", "fast"]  # warm-up, message by message
    # then blocks of 50 messages, then batches of 32 in turns
    assert calls[40:] == ["fp32"] * 50 + ["fast"] * 50 + ["fp32"] * 10 + ["fast"] * 10 + ["fp32", "fast"] * 3
    assert {"p50_ms", "p95_ms", "throughput_batch32_per_s"} <= set(report["fp32"]) == set(report["fast"])
    assert report["speedup_p50"] > 0 and report["throughput_ratio"] > 0


def test_fast_path_runs_on_one_thread_by_default(small_sentiment_model):
    model = OnnxSentimentModel(small_sentiment_model)
    assert model.session.get_session_options().intra_op_num_threads == 1


def test_the_fast_path_can_be_given_the_threads_the_fp32_model_gets(small_sentiment_model):
    model = load_sentiment_model(small_sentiment_model, threads=2)
    assert model.session.get_session_options().intra_op_num_threads == 2
