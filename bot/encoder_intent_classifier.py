"""Rasa component: intents from the sentence encoder's vectors with a linear head (nlu_encoder.intent_head)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import INTENT, METADATA, METADATA_EXAMPLE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_encoder.intent_head import DEFAULT_C, IntentHead

HEAD_FILE = "intent_head.npz"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EncoderIntentClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[type]:
        return [DenseFeaturizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # `featurizers`: the aliases of the dense featurizers whose sentence vector to read (None: any).
        # `reviewed_example_weight`: how much an example exported from the logs (it carries an `origin`)
        # counts against one we wrote: it is a real customer's words, confirmed by a trainer, and a few
        # of them must be able to move an intent that has hundreds of written examples.
        return {"C": DEFAULT_C, "featurizers": None, "reviewed_example_weight": 5.0}

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 head: Optional[IntentHead] = None) -> None:
        self.config, self.model_storage, self.resource, self.head = config, model_storage, resource, head

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "EncoderIntentClassifier":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "EncoderIntentClassifier":
        with model_storage.read_from(resource) as folder:
            with np.load(folder / HEAD_FILE, allow_pickle=False) as arrays:
                head = IntentHead.from_arrays(dict(arrays))
        return cls(config, model_storage, resource, head)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if self._vector(m) is not None]
        weights = np.array([self._weight(m) for m in examples])
        self.head = IntentHead.fit(np.stack([self._vector(m) for m in examples]), [m.get(INTENT) for m in examples],
                                   float(self.config["C"]), weights)
        with self.model_storage.write_to(self.resource) as folder:
            np.savez(folder / HEAD_FILE, **self.head.to_arrays())
        return self.resource

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            vector = self._vector(message)
            if self.head is None or vector is None:
                message.set("intent", {"name": None, "confidence": 0.0}, add_to_output=True)
                message.set("intent_ranking", [], add_to_output=True)
                continue
            ranking = self.head.ranking(vector, LABEL_RANKING_LENGTH)
            message.set("intent", {"name": ranking[0][0], "confidence": ranking[0][1]}, add_to_output=True)
            message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking], add_to_output=True)
        return messages

    def _weight(self, message: Message) -> float:
        example = (message.get(METADATA) or {}).get(METADATA_EXAMPLE)
        from_logs = isinstance(example, dict) and "origin" in example
        return float(self.config["reviewed_example_weight"]) if from_logs else 1.0

    def _vector(self, message: Message) -> Optional[np.ndarray]:
        _, sentence = message.get_dense_features(TEXT, self.config.get("featurizers"))
        return None if sentence is None else np.asarray(sentence.features[0], dtype=np.float32)
