"""The serving fast path: the same weights exported to ONNX, with ONNX Runtime's transformer fusions
(attention, layer norm, GELU) applied before int8 dynamic quantization, run by ONNX Runtime on one
thread with the Rust tokenizer and no padding at batch size 1."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from sentiment.model import (
    NEUTRAL_EMPTY,
    ModelNotFound,
    Prediction,
    TorchSentimentModel,
    prediction_from_probs,
    read_model_card,
)
from sentiment.text import MAX_TOKENS, prepare_text

ONNX_FP32 = "model.onnx"
ONNX_FUSED = "model.fused.onnx"
ONNX_INT8 = "model.int8.onnx"


def export_fast_path(model_dir: Path) -> Path:
    """Export the saved torch model to ONNX, fuse and quantize it to int8; returns the int8 file.
    (Earlier exports, unfused under the same file name, still load: the inputs are the same.)"""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32_path, fused_path, int8_path = model_dir / ONNX_FP32, model_dir / ONNX_FUSED, model_dir / ONNX_INT8
    try:
        _export_onnx(model_dir, fp32_path)
        _fuse(model_dir, fp32_path, fused_path)
        # The embedding lookup stays fp32 (int8 tables cost accuracy and save no time). ONNX shape
        # inference does not know the fused operators, so the type of their outputs is given.
        quantize_dynamic(
            str(fused_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True,
            op_types_to_quantize=["MatMul", "Attention"], extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )
    finally:
        fp32_path.unlink(missing_ok=True)
        fused_path.unlink(missing_ok=True)
    return int8_path


def _export_onnx(model_dir: Path, path: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    # eager attention exports as plain MatMul/Softmax, the pattern ONNX Runtime fuses into one op
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    example = {
        "input_ids": torch.ones(1, 8, dtype=torch.long),
        "attention_mask": torch.ones(1, 8, dtype=torch.long),
        "token_type_ids": torch.zeros(1, 8, dtype=torch.long),
    }
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        model, (example,), str(path), input_names=list(example), output_names=["logits"],
        dynamic_axes={**{name: axes for name in example}, "logits": {0: "batch"}}, opset_version=17, dynamo=False,
    )


def _fuse(model_dir: Path, source: Path, target: Path) -> None:
    from onnxruntime.transformers import optimizer
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(str(model_dir))
    fused = optimizer.optimize_model(
        str(source), model_type="bert", num_heads=config.num_attention_heads, hidden_size=config.hidden_size
    )
    _last_layer_on_first_token(fused.model)
    fused.save_model_to_file(str(target))


def _last_layer_on_first_token(model) -> None:  # type: ignore[no-untyped-def]
    """The classifier reads only the first ([CLS]) position, so after the last attention the rest of
    the last layer (output projection, feed-forward, layer norms) need not run for the other tokens."""
    from onnx import helper, numpy_helper

    graph = model.graph
    attentions = [index for index, node in enumerate(graph.node) if node.op_type == "Attention"]
    if not attentions:
        return
    after = attentions[-1] + 1
    last = graph.node[attentions[-1]]
    graph.initializer.append(numpy_helper.from_array(np.array([0], dtype=np.int64), "first_token"))
    for tensor in (last.output[0], last.input[0]):  # the attention output and the residual around it
        first = tensor + "/first_token"
        for node in graph.node[after:]:
            node.input[:] = [first if name == tensor else name for name in node.input]
        graph.node.insert(after, helper.make_node("Gather", [tensor, "first_token"], [first], axis=1))


class OnnxSentimentModel:
    def __init__(self, model_dir: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model_dir / ONNX_INT8), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.input_names = {i.name for i in self.session.get_inputs()}
        # a single message has no padding: its mask is all ones and its token types all zeros
        self._ones = np.ones((1, MAX_TOKENS), dtype=np.int64)
        self._zeros = np.zeros((1, MAX_TOKENS), dtype=np.int64)
        self.version = read_model_card(model_dir).get("version", model_dir.name) + "+onnx-int8"

    def predict(self, texts: Sequence[object]) -> list[Prediction]:
        prepared = [prepare_text(t) for t in texts]
        return [self._one(text) if text else NEUTRAL_EMPTY for text in prepared]

    def predict_batch(self, texts: Sequence[object]) -> list[Prediction]:
        """Padded batches (for throughput); same results as predict()."""
        prepared = [prepare_text(t) or " " for t in texts]
        self.tokenizer.enable_padding()
        try:
            encodings = self.tokenizer.encode_batch(prepared)
        finally:
            self.tokenizer.no_padding()
        probs = self._run(
            np.array([e.ids for e in encodings], dtype=np.int64),
            np.array([e.attention_mask for e in encodings], dtype=np.int64),
            np.array([e.type_ids for e in encodings], dtype=np.int64),
        )
        return [prediction_from_probs(p) if t.strip() else NEUTRAL_EMPTY for p, t in zip(probs, prepared)]

    def _one(self, text: str) -> Prediction:
        ids = np.array([self.tokenizer.encode(text).ids], dtype=np.int64)
        length = ids.shape[1]
        return prediction_from_probs(self._run(ids, self._ones[:, :length], self._zeros[:, :length])[0])

    def _run(self, ids: np.ndarray, mask: np.ndarray, types: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        logits = self.session.run(None, {k: v for k, v in feeds.items() if k in self.input_names})[0]
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)


def load_sentiment_model(path: str | Path, fast: bool = True, label_map: Optional[dict[str, str]] = None,  # type: ignore[no-untyped-def]
                         threads: int = 1):
    """The fast path when it was exported next to the model (on `threads` threads), else the torch model."""
    model_dir = Path(path)
    if fast and (model_dir / ONNX_INT8).exists():
        return OnnxSentimentModel(model_dir, threads)
    if model_dir.is_dir() and not (model_dir / "config.json").exists():
        raise ModelNotFound(f"no sentiment model at {model_dir}; run `kizuna sentiment train`")
    if not model_dir.exists() and str(path).startswith(("/", ".")):
        raise ModelNotFound(f"no sentiment model at {model_dir}; run `kizuna sentiment train`")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    return TorchSentimentModel(path, label_map)
