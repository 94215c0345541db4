"""The exported sentence encoder reads like all-MiniLM-L6-v2, and the linear intent head learns from it."""

import numpy as np
import pytest

from kizuna.settings import get_settings
from nlu_encoder.intent_head import IntentHead
from tests.conftest import unavailable


@pytest.fixture(scope="module")
def encoder():
    from nlu_encoder.encoder import SentenceEncoder
    from nlu_encoder.export import is_exported

    folder = get_settings().encoder_dir
    if not is_exported(folder):
        unavailable(f"no exported encoder in {folder} (`kizuna setup` exports it)")
    return SentenceEncoder(folder)


def test_vectors_are_close_to_the_original_model(encoder):
    from sentence_transformers import SentenceTransformer

    from nlu_encoder.export import package_model_dir

    texts = ["where is my order 10482", "hi", "I forgot my password and cannot log in to my account any more"]
    reference = SentenceTransformer(str(package_model_dir()), device="cpu").encode(texts, normalize_embeddings=True)
    similarity = (encoder.sentence_vectors(texts) * reference).sum(axis=1)
    assert similarity.min() > 0.999, similarity


def test_paraphrases_are_closer_than_unrelated_requests(encoder):
    refund, paraphrase, recipe = encoder.sentence_vectors(["where is my refund", "my money back has not arrived yet",
                                                           "how long do I boil an egg"])
    assert refund @ paraphrase > refund @ recipe + 0.1


def test_each_word_piece_keeps_its_place_in_the_text(encoder):
    text = "cancel order 10482 pls"
    encoded = encoder.encode([text])[0]
    pieces = [text[start:end] for start, end in encoded.offsets if end > start]
    assert pieces[0] == "cancel" and "104" in "".join(pieces)
    assert encoded.token_vectors.shape == (len(encoded.offsets), encoder.dimension)
    assert np.linalg.norm(encoded.sentence_vector) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("text", ["", " ", "\u200b", "😡" * 50, "<script>alert(1)</script>", "x" * 5000])
def test_odd_input_gives_one_finite_vector(encoder, text):
    vector = encoder.sentence_vectors([text])
    assert vector.shape == (1, encoder.dimension) and np.isfinite(vector).all()


def test_the_intent_head_learns_and_survives_a_round_trip():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 8))
    vectors = np.concatenate([c + 0.1 * rng.normal(size=(20, 8)) for c in centres])
    intents = [name for name in ("greet", "track_order", "out_of_scope") for _ in range(20)]
    head = IntentHead.fit(vectors, intents)
    again = IntentHead.from_arrays(head.to_arrays())
    ranking = again.ranking(centres[1], length=2)
    assert ranking[0][0] == "track_order" and ranking[0][1] > 0.8 and len(ranking) == 2
    assert np.allclose(again.probabilities(vectors).sum(axis=1), 1.0)


def test_the_intent_head_needs_two_intents():
    with pytest.raises(ValueError, match="two intents"):
        IntentHead.fit(np.zeros((3, 4)), ["greet"] * 3)


def test_a_models_directory_without_the_encoder_gets_it_before_rasa_needs_it(tmp_path):
    from retraining.rasa_env import ensure_encoder
    from kizuna.settings import Settings
    from nlu_encoder.export import is_exported

    settings = Settings(var_dir=tmp_path / "var", models_dir=tmp_path / "models")
    ensure_encoder(settings)
    assert is_exported(settings.encoder_dir)
    assert sorted(p.name for p in settings.encoder_dir.iterdir()) == ["card.json", "encoder.onnx", "tokenizer.json"]


def test_a_heavier_example_pulls_the_boundary_towards_it():
    vectors = np.array([[0.0], [0.1], [0.9], [1.0], [0.55]])
    intents = ["greet", "greet", "goodbye", "goodbye", "greet"]
    light = IntentHead.fit(vectors, intents)
    heavy = IntentHead.fit(vectors, intents, weights=np.array([1, 1, 1, 1, 20.0]))
    assert heavy.ranking(np.array([0.6]))[0][0] == "greet"
    assert heavy.probabilities(np.array([[0.6]]))[0][heavy.intents.index("greet")] > \
        light.probabilities(np.array([[0.6]]))[0][light.intents.index("greet")]
