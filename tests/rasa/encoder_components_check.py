"""Run by tests/rasa/test_encoder_components.py with the Rasa environment's Python: trains the encoder
featurizer and intent classifier on a few examples, stores and reloads the classifier as Rasa does, and
prints what they make of new messages as JSON."""

import json
import sys
from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.encoder_featurizer import SentenceEncoderFeaturizer
from bot.encoder_intent_classifier import EncoderIntentClassifier

EXAMPLES = {
    "track_order": ["where is my order", "has my parcel shipped yet", "track my package", "order status please"],
    "recover_password": ["I forgot my password", "reset my password", "can't remember my login password", "password recovery"],
    "out_of_scope": ["what's the weather tomorrow", "tell me a joke", "how do I bake bread", "who won the football game"],
}


def component(cls, storage, context, name):
    return cls.create({**cls.get_default_config(), "alias": "minilm"}, storage, Resource(name), context)


def main(folder: Path, texts: list[str]) -> None:
    storage = LocalModelStorage(folder)
    context = ExecutionContext(GraphSchema({}), node_name="encoder")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizer = SentenceEncoderFeaturizer({**SentenceEncoderFeaturizer.get_default_config(), "alias": "minilm"}, "encoder")
    training = TrainingData([Message(data={TEXT: text, "intent": intent}) for intent, texts_ in EXAMPLES.items() for text in texts_])
    featurizer.process_training_data(tokenizer.process_training_data(training))
    config = {**EncoderIntentClassifier.get_default_config(), "featurizers": ["minilm"]}
    EncoderIntentClassifier.create(config, storage, Resource("classifier"), context).train(training)
    loaded = EncoderIntentClassifier.load(config, storage, Resource("classifier"), context)
    messages = featurizer.process(tokenizer.process([Message(data={TEXT: text}) for text in texts]))
    loaded.process(messages)
    rows = []
    for message in messages:
        sequence, sentence = message.get_dense_features(TEXT, ["minilm"])
        rows.append({"text": message.get(TEXT), "intent": message.get("intent"), "ranking": message.get("intent_ranking"),
                     "tokens": len(message.get(TOKENS_NAMES[TEXT]) or []),
                     "sequence_shape": None if sequence is None else list(sequence.features.shape),
                     "sentence_shape": None if sentence is None else list(sentence.features.shape)})
    print(json.dumps(rows))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
