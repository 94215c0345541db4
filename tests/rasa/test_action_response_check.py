"""Action server replies are checked against Rasa's schema with a validator built once, with Rasa's own
outcome: a valid reply passes, an invalid one raises Rasa's ValidationError with its explanation."""

import json
import subprocess

import pytest

from retraining.rasa_env import rasa_environment
from kizuna.settings import PROJECT_ROOT, get_settings
from tests.conftest import unavailable

pytestmark = pytest.mark.integration


def test_replies_are_checked_as_rasa_checks_them(tmp_path):
    settings = get_settings()
    python = settings.rasa_venv / "bin" / "python"
    if not python.exists():
        unavailable("the Rasa environment is built by `make setup`")
    result = subprocess.run([str(python), str(PROJECT_ROOT / "tests/rasa/response_check_probe.py")], capture_output=True,
                            text=True, env=rasa_environment(settings), cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["installed"] and outcome["valid"] is True
    assert "Failed to validate Action server response" in outcome["invalid"]
