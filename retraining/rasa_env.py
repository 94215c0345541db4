"""Driving the separate Rasa environment: training, and starting servers."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import unquote, urlsplit

import httpx
from sqlalchemy.engine import make_url

from kizuna.settings import PROJECT_ROOT, Settings

def rasa_bin(settings: Settings) -> Path:
    path = settings.rasa_venv / "bin" / "rasa"
    if not path.exists():
        raise FileNotFoundError(f"Rasa is not installed at {path}; run `make setup` first")
    return path


def latest_model(model_dir: Path) -> Optional[Path]:
    models = sorted(model_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def data_arguments(settings: Settings) -> list[str]:
    """`--config`, `--domain` and `--data` of the assistant, as rasa's train, validate and test take them."""
    return [
        "--config", str(settings.bot_dir / "config.yml"),
        "--domain", str(settings.domain_dir),
        "--data", *[str(folder) for folder in settings.training_data_dirs],
    ]


def train_command(settings: Settings, out_dir: Path) -> list[str]:
    return [str(rasa_bin(settings)), "train", *data_arguments(settings), "--out", str(out_dir)]


def ensure_encoder(settings: Settings) -> None:
    """Rasa reads messages with the exported sentence encoder: export it first if this models directory lacks it."""
    from nlu_encoder.export import export, is_exported

    if not is_exported(settings.encoder_dir):
        export(settings.encoder_dir)


def rasa_environment(settings: Settings) -> dict[str, str]:
    """Environment for rasa processes: this one's and rasa_variables'."""
    return dict(os.environ) | rasa_variables(settings)


def rasa_variables(settings: Settings) -> dict[str, str]:
    """What bot/endpoints.yml, bot/credentials.yml and bot/rasa_launcher.py read, and the project on the path
    so that rasa finds them; no telemetry from a closed network."""
    return {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")])),
        "KIZUNA_RASA_TOKEN": settings.effective_rasa_token,
        "KIZUNA_ENCODER_DIR": str(settings.encoder_dir),
        "KIZUNA_CHANNEL_TOKEN": settings.effective_channel_token,
        "KIZUNA_ACTION_ENDPOINT_URL": settings.effective_action_url,
        "KIZUNA_ACTION_TOKEN": settings.effective_action_token,
        "KIZUNA_TRACKER_DIALECT": make_url(settings.effective_tracker_store_url).get_backend_name(),
        "KIZUNA_TRACKER_URL": settings.effective_tracker_store_url,
        **lock_store_environment(settings.redis_url),
        "SANIC_WORKERS": str(settings.effective_rasa_workers),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


def lock_store_environment(redis_url: str) -> dict[str, str]:
    """Rasa's lock store: in memory for one rasa server; in Redis (database from the URL) when several share conversations."""
    if not redis_url:
        return {"KIZUNA_LOCK_STORE_TYPE": "in_memory", "KIZUNA_LOCK_STORE_HOST": "", "KIZUNA_LOCK_STORE_PORT": "",
                "KIZUNA_LOCK_STORE_DB": "", "KIZUNA_LOCK_STORE_PASSWORD": ""}
    parsed = urlsplit(redis_url)
    if parsed.scheme != "redis" or not parsed.hostname:
        raise ValueError(f"KIZUNA_REDIS_URL must look like redis://host:6379/0, not {parsed.scheme or 'no scheme'}://...")
    return {
        "KIZUNA_LOCK_STORE_TYPE": "redis",
        "KIZUNA_LOCK_STORE_HOST": parsed.hostname,
        "KIZUNA_LOCK_STORE_PORT": str(parsed.port or 6379),
        "KIZUNA_LOCK_STORE_DB": parsed.path.strip("/") or "0",
        "KIZUNA_LOCK_STORE_PASSWORD": unquote(parsed.password or ""),
    }


def server_command(settings: Settings, model: Path, port: int, with_endpoints: bool = True) -> list[str]:
    """`rasa run` through bot/rasa_launcher.py, which adds the API token from KIZUNA_RASA_TOKEN: on the
    command line every user of the machine could read it."""
    python = rasa_bin(settings).with_name("python")
    command = [
        str(python), "-m", "bot.rasa_launcher", "run",
        "--enable-api",
        "--interface", "127.0.0.1", "--port", str(port),
        "--model", str(model),
        "--credentials", str(settings.bot_dir / "credentials.yml"),
        "--logging-config-file", str(settings.bot_dir / "logging.yml"),
    ]
    if with_endpoints:
        command += ["--endpoints", str(settings.bot_dir / "endpoints.yml")]
    return command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_rasa(url: str, token: str, timeout: float, process: Optional[subprocess.Popen] = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the rasa server exited with code {process.returncode}")
        try:
            status = httpx.get(f"{url}/status", params={"token": token}, timeout=2.0)
            if status.status_code == 200 and status.json().get("model_id"):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"the rasa server at {url} did not come up within {timeout:.0f} s")


@contextmanager
def temporary_nlu_server(settings: Settings, model: Path, log_path: Path) -> Iterator[tuple[str, str]]:
    """A rasa server on a free loopback port for parsing only; stopped on exit."""
    import secrets

    ensure_encoder(settings)
    port, token = free_port(), secrets.token_urlsafe(16)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            server_command(settings, model, port, with_endpoints=False),
            stdout=log, stderr=subprocess.STDOUT, env=rasa_environment(settings) | {"KIZUNA_RASA_TOKEN": token},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_rasa(url, token, timeout=180, process=process)
        yield url, token
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
