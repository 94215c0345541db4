"""What rasa is told through bot/endpoints.yml: tracker store, lock store, action server and its token."""

from __future__ import annotations

from pathlib import Path

import pytest

from kizuna.rasa_env import lock_store_environment, rasa_environment
from kizuna.settings import Settings


def test_one_machine_gets_a_sqlite_tracker_store_and_an_in_memory_lock_store(tmp_path: Path):
    env = rasa_environment(Settings(var_dir=tmp_path, action_token="t0ken", tracker_store_url="", redis_url=""))
    assert env["KIZUNA_TRACKER_URL"] == f"sqlite:///{tmp_path / 'rasa_tracker.db'}"
    assert env["KIZUNA_TRACKER_DIALECT"] == "sqlite"
    assert env["KIZUNA_LOCK_STORE_TYPE"] == "in_memory"
    assert env["KIZUNA_ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"
    assert env["KIZUNA_ACTION_TOKEN"] == "t0ken"


def test_replicas_get_postgresql_and_redis(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, tracker_store_url="postgresql+psycopg2://kizuna@db:5432/tracker",
                        redis_url="redis://:s%40cret@cache:6380/2", action_url="http://actions:5055/webhook")
    env = rasa_environment(settings)
    assert env["KIZUNA_TRACKER_DIALECT"] == "postgresql"
    assert env["KIZUNA_TRACKER_URL"] == "postgresql+psycopg2://kizuna@db:5432/tracker"
    assert env["KIZUNA_ACTION_ENDPOINT_URL"] == "http://actions:5055/webhook"
    assert {k: env[k] for k in env if k.startswith("KIZUNA_LOCK_STORE_")} == {
        "KIZUNA_LOCK_STORE_TYPE": "redis", "KIZUNA_LOCK_STORE_HOST": "cache", "KIZUNA_LOCK_STORE_PORT": "6380",
        "KIZUNA_LOCK_STORE_DB": "2", "KIZUNA_LOCK_STORE_PASSWORD": "s@cret",
    }


def test_the_redis_database_defaults_to_0_and_other_schemes_are_refused():
    assert lock_store_environment("redis://127.0.0.1")["KIZUNA_LOCK_STORE_DB"] == "0"
    with pytest.raises(ValueError, match="redis://host:6379/0"):
        lock_store_environment("http://127.0.0.1:6379")


def test_rate_limit_counts_are_shared_through_redis_unless_told_otherwise(tmp_path: Path):
    assert Settings(var_dir=tmp_path, redis_url="", rate_limit_storage="").effective_rate_limit_storage == "memory://"
    assert Settings(var_dir=tmp_path, redis_url="redis://r:6379/1", rate_limit_storage="").effective_rate_limit_storage == "redis://r:6379/1"
    assert Settings(var_dir=tmp_path, redis_url="redis://r", rate_limit_storage="memory://").effective_rate_limit_storage == "memory://"


def test_every_variable_the_endpoints_file_reads_is_set(tmp_path: Path):
    import re

    endpoints = (Path(__file__).resolve().parents[2] / "bot" / "endpoints.yml").read_text()
    wanted = set(re.findall(r"\$\{(\w+)\}", endpoints))
    assert wanted and wanted <= set(rasa_environment(Settings(var_dir=tmp_path)))
