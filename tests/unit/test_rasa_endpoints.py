"""What rasa is told through bot/endpoints.yml and bot/credentials.yml: tracker store, lock store, action server
and its token, and the one channel conversations come in by, with its token."""

from __future__ import annotations

from pathlib import Path

import pytest

import yaml

from retraining.rasa_env import lock_store_environment, rasa_environment
from kizuna.settings import PROJECT_ROOT, Settings

BOT = PROJECT_ROOT / "bot"


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


@pytest.mark.parametrize("filename", ["endpoints.yml", "credentials.yml"])
def test_every_variable_the_endpoints_and_credentials_files_read_is_set(tmp_path: Path, filename: str):
    import re

    wanted = set(re.findall(r"\$\{(\w+)\}", (BOT / filename).read_text()))
    assert wanted and wanted <= set(rasa_environment(Settings(var_dir=tmp_path)))


def test_conversations_come_in_only_by_the_kizuna_channel_with_its_token():
    channels = yaml.safe_load((BOT / "credentials.yml").read_text())
    assert channels == {"bot.kizuna_channel.KizunaChannel": {"token": "${KIZUNA_CHANNEL_TOKEN}"}}  # no `rest:`, no `socketio:`


def test_rasa_finds_the_channel_and_gets_the_channel_token_not_the_api_token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTHONPATH", "/opt/elsewhere")
    env = rasa_environment(Settings(var_dir=tmp_path, rasa_token="api-token", channel_token="channel-token"))
    assert env["PYTHONPATH"].split(":") == [str(PROJECT_ROOT), "/opt/elsewhere"]
    assert (PROJECT_ROOT / "bot" / "kizuna_channel.py").exists()
    assert env["KIZUNA_CHANNEL_TOKEN"] == "channel-token"


def test_the_channel_token_comes_from_the_generated_secrets_unless_set(tmp_path: Path):
    from kizuna.secrets import ensure_secrets

    generated = ensure_secrets(tmp_path)["channel_token"]
    assert len(generated) >= 32 and generated != ensure_secrets(tmp_path)["rasa_token"]
    assert rasa_environment(Settings(var_dir=tmp_path, channel_token=""))["KIZUNA_CHANNEL_TOKEN"] == generated
    assert Settings(var_dir=tmp_path, channel_token="from-env").effective_channel_token == "from-env"


def test_the_rasa_process_keeps_the_channel_path_and_token_over_what_it_inherits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from operations.stack import rasa_process

    monkeypatch.setenv("PYTHONPATH", "/opt/elsewhere")
    monkeypatch.setenv("KIZUNA_CHANNEL_TOKEN", "")
    env = rasa_process(Settings(var_dir=tmp_path, channel_token="channel-token"), tmp_path / "model.tar.gz", None).env
    assert env["PYTHONPATH"].split(":")[0] == str(PROJECT_ROOT)
    assert env["KIZUNA_CHANNEL_TOKEN"] == "channel-token"


def test_the_rasa_api_token_is_not_on_the_command_line_where_every_user_can_read_it(tmp_path: Path):
    from retraining.rasa_env import server_command
    from operations.stack import rasa_process

    settings = Settings(var_dir=tmp_path, rasa_token="-api-token-0f7c")
    managed = rasa_process(settings, tmp_path / "model.tar.gz", None)
    assert not [argument for argument in managed.command if "api-token-0f7c" in argument]
    assert managed.command[1:3] == ["-m", "bot.rasa_launcher"] and managed.env["KIZUNA_RASA_TOKEN"] == "-api-token-0f7c"
    assert server_command(settings, tmp_path / "model.tar.gz", 5005, with_endpoints=False)[1:4] == ["-m", "bot.rasa_launcher", "run"]


def test_the_launcher_hands_rasa_the_token_and_refuses_to_start_without_one():
    from bot.rasa_launcher import with_token

    assert with_token(["run", "--enable-api"], "-tok") == ["run", "--enable-api", "--auth-token=-tok"]
    with pytest.raises(SystemExit, match="KIZUNA_RASA_TOKEN"):
        with_token(["run", "--enable-api"], "")
