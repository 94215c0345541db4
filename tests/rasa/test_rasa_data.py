"""The Rasa training data is valid and the dialogue follows the test stories exactly."""

import subprocess

import pytest

from retraining.rasa_env import data_arguments, rasa_bin, rasa_environment
from kizuna.settings import PROJECT_ROOT, get_settings
from tests.assistant import trained_assistant

pytestmark = pytest.mark.integration


def _rasa(*args: str, cwd) -> subprocess.CompletedProcess:
    settings = get_settings()
    return subprocess.run([str(rasa_bin(settings)), *args], capture_output=True, text=True, env=rasa_environment(settings), cwd=cwd)


def test_rasa_data_validates(tmp_path):
    result = _rasa(
        "data", "validate",
        *data_arguments(get_settings()),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_test_stories_pass_without_prediction_errors(tmp_path):
    model = trained_assistant()
    result = _rasa(
        "test", "core",
        "--model", str(model),
        "--stories", str(PROJECT_ROOT / "tests/rasa/test_stories.yml"),
        "--fail-on-prediction-errors",
        "--out", str(tmp_path / "results"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
