"""Rasa component: dense features of each message from the all-MiniLM-L6-v2 sentence encoder (ONNX).

A sentence vector (mean of the word pieces, unit length) and one vector per token (the mean of the
word pieces inside the token), so that any dense-feature classifier can use them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_encoder.encoder import Encoded, SentenceEncoder

DEFAULT_ENCODER_DIR = Path(__file__).resolve().parents[1] / "models" / "encoder"


def encoder_dir(configured: Optional[str]) -> Path:
    """The exported encoder: the component's `encoder_dir`, else KIZUNA_ENCODER_DIR, else models/encoder."""
    folder = Path(configured or os.environ.get("KIZUNA_ENCODER_DIR") or DEFAULT_ENCODER_DIR)
    if not (folder / "encoder.onnx").exists():
        raise FileNotFoundError(f"no exported sentence encoder in {folder}; `kizuna setup` exports it")
    return folder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    @classmethod
    def required_components(cls) -> List[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "encoder_dir": None, "threads": 1}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["onnxruntime", "tokenizers"]

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        self.encoder = SentenceEncoder(encoder_dir(config.get("encoder_dir")), threads=int(config["threads"]))

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceEncoderFeaturizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        # One message at a time, exactly as when serving.
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT])
            if not tokens:
                continue
            encoded = self.encoder.encode([message.get(TEXT)])[0]
            self.add_features_to_message(token_vectors(encoded, tokens), encoded.sentence_vector[np.newaxis, :], TEXT, message)
        return messages


def token_vectors(encoded: Encoded, tokens: list) -> np.ndarray:
    """One vector per Rasa token: the mean of the word pieces that overlap it (the sentence vector if none does)."""
    rows = []
    for token in tokens:
        inside = [i for i, (start, end) in enumerate(encoded.offsets) if end > start and start < token.end and end > token.start]
        rows.append(encoded.token_vectors[inside].mean(axis=0) if inside else encoded.sentence_vector)
    return np.stack(rows).astype(np.float32)
