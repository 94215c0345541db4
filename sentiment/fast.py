"""The serving fast path: the same weights exported to ONNX with int8 dynamic quantization,
run by ONNX Runtime on one thread with the Rust tokenizer and no padding at batch size 1."""

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
ONNX_INT8 = "model.int8.onnx"


def export_fast_path(model_dir: Path) -> Path:
    """Export the saved torch model to ONNX and quantize it to int8; returns the int8 file."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    example = {
        "input_ids": torch.ones(1, 8, dtype=torch.long),
        "attention_mask": torch.ones(1, 8, dtype=torch.long),
        "token_type_ids": torch.zeros(1, 8, dtype=torch.long),
    }
    fp32_path, int8_path = model_dir / ONNX_FP32, model_dir / ONNX_INT8
    axes = {0: "batch", 1: "tokens"}
    torch.onnx.export(
        model, (example,), str(fp32_path), input_names=list(example), output_names=["logits"],
        dynamic_axes={**{name: axes for name in example}, "logits": {0: "batch"}}, opset_version=17, dynamo=False,
    )
    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8, per_channel=True)
    fp32_path.unlink()
    return int8_path


class OnnxSentimentModel:
    def __init__(self, model_dir: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model_dir / ONNX_INT8), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.input_names = {i.name for i in self.session.get_inputs()}
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
        probs = self._run(encodings)
        return [prediction_from_probs(p) if t.strip() else NEUTRAL_EMPTY for p, t in zip(probs, prepared)]

    def _one(self, text: str) -> Prediction:
        return prediction_from_probs(self._run([self.tokenizer.encode(text)])[0])

    def _run(self, encodings) -> np.ndarray:  # type: ignore[no-untyped-def]
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        logits = self.session.run(None, {k: v for k, v in feeds.items() if k in self.input_names})[0]
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)


def load_sentiment_model(path: str | Path, fast: bool = True, label_map: Optional[dict[str, str]] = None):  # type: ignore[no-untyped-def]
    """The fast path when it was exported next to the model, else the torch model."""
    model_dir = Path(path)
    if fast and (model_dir / ONNX_INT8).exists():
        return OnnxSentimentModel(model_dir)
    if model_dir.is_dir() and not (model_dir / "config.json").exists():
        raise ModelNotFound(f"no sentiment model at {model_dir}; run `kizuna sentiment train`")
    if not model_dir.exists() and str(path).startswith(("/", ".")):
        raise ModelNotFound(f"no sentiment model at {model_dir}; run `kizuna sentiment train`")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    return TorchSentimentModel(path, label_map)
