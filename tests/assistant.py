"""Helpers for tests that need the trained assistant or the whole running stack."""

from __future__ import annotations

from pathlib import Path

from retraining import nlu_models as nlu
from retraining.rasa_env import free_port
from kizuna.settings import Settings, get_settings


def trained_assistant() -> Path:
    """The model of the current training data, trained now if missing (minutes, once)."""
    return nlu.train(get_settings())


def stack_settings(var_dir: Path, database_url: str) -> Settings:
    return Settings(
        var_dir=var_dir,
        database_url=database_url,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="test-token-" + var_dir.name,
        action_server_port=free_port(),
        console_host="127.0.0.1",
        console_port=free_port(),
    )
