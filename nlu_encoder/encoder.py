"""Encoding messages with all-MiniLM-L6-v2 exported to ONNX: token vectors and one sentence vector each.

Only numpy, onnxruntime and the Rust tokenizer: it runs in the Rasa environment as in the app's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_FILE = "encoder.onnx"
TOKENIZER_FILE = "tokenizer.json"
MAX_TOKENS = 128  # longer messages are cut; the encoder was trained on 128-token sentences


@dataclass(frozen=True)
class Encoded:
    """One message: a vector per word piece with its character span, and the mean-pooled sentence vector."""
    token_vectors: np.ndarray        # (pieces, 384)
    offsets: list[tuple[int, int]]   # character span of each piece in the text
    sentence_vector: np.ndarray      # (384,), unit length


class SentenceEncoder:
    def __init__(self, folder: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}

    @property
    def dimension(self) -> int:
        return 384

    def encode(self, texts: list[str], batch_size: int = 32) -> list[Encoded]:
        results: list[Encoded] = []
        for start in range(0, len(texts), batch_size):
            results += self._encode_batch(texts[start:start + batch_size])
        return results

    def sentence_vectors(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return np.stack([e.sentence_vector for e in self.encode(texts, batch_size)]) if texts else np.zeros((0, 384), np.float32)

    def _encode_batch(self, texts: list[str]) -> list[Encoded]:
        encodings = self.tokenizer.encode_batch([text or " " for text in texts])
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.input_names})[0]
        return [_encoded(hidden[row], mask[row], encoding) for row, encoding in enumerate(encodings)]


def _encoded(hidden: np.ndarray, mask: np.ndarray, encoding) -> Encoded:
    length = int(mask.sum())
    pieces = hidden[:length]
    pooled = pieces.mean(axis=0)
    pooled = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
    return Encoded(pieces.astype(np.float32), list(encoding.offsets), pooled.astype(np.float32))
