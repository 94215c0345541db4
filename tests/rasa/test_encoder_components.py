"""The sentence-encoder components in Rasa: features per token and per message, and an intent classifier
that is trained, stored, reloaded and right on messages it never saw."""

import json
import subprocess

import pytest

from retraining.rasa_env import rasa_environment
from kizuna.settings import PROJECT_ROOT, get_settings
from nlu_encoder.export import is_exported
from tests.conftest import unavailable

pytestmark = pytest.mark.integration


def run_components(tmp_path, *texts: str) -> list[dict]:
    settings = get_settings()
    python = settings.rasa_venv / "bin" / "python"
    if not python.exists() or not is_exported(settings.encoder_dir):
        unavailable("the Rasa environment and the exported encoder are built by `make setup`")
    result = subprocess.run([str(python), str(PROJECT_ROOT / "tests/rasa/encoder_components_check.py"), str(tmp_path), *texts],
                            capture_output=True, text=True, env=rasa_environment(settings), cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_unseen_messages_get_the_right_intent_with_a_ranking(tmp_path):
    rows = run_components(tmp_path, "where's my package at", "i cant remember my pw", "recipe for lasagne please")
    assert [row["intent"]["name"] for row in rows] == ["track_order", "recover_password", "out_of_scope"]
    for row in rows:
        confidences = [entry["confidence"] for entry in row["ranking"]]
        assert confidences == sorted(confidences, reverse=True) and abs(sum(confidences) - 1) < 1e-3
        assert row["ranking"][0]["name"] == row["intent"]["name"]


def test_features_have_one_row_per_token_and_one_for_the_message(tmp_path):
    [row] = run_components(tmp_path, "cancel order 10482 right now")
    assert row["tokens"] == 5
    assert row["sequence_shape"] == [5, 384] and row["sentence_shape"] == [1, 384]
