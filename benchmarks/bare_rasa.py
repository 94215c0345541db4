"""A bare Rasa server to measure against: Rasa's own starter assistant ("moodbot", `rasa init`),
with Rasa's REST channel, no action server, trackers in memory.

The starter project is made and trained once per Rasa version with the Rasa environment's `rasa`
(`rasa init --no-prompt`, about a minute) and kept in models/bare-rasa/rasa-<version>/; later runs
reuse it. `running_bare_rasa()` starts it on a free loopback port with its HTTP API (behind a token,
passed through the environment like kizuna's own rasa server) and stops it on exit.

It is the cost of a Rasa turn (NLU, policies, responses) with nothing of kizuna's around it, not
the same conversation: moodbot answers greetings, moods and goodbyes, so it gets messages like those.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kizuna.private_files import private_dir
from retraining.rasa_env import free_port, latest_model, rasa_bin, rasa_environment, wait_for_rasa
from kizuna.settings import Settings

WEBHOOK_PATH = "/webhooks/rest/webhook"  # body {"sender", "message"}; answer: a list of {"recipient_id", "text"}
CREDENTIALS = "rest:\n"  # Rasa's REST channel, nothing else
# Moodbot's conversations, which a conversation goes through in this order, again and again: every message
# gets an answer (greeting, mood, "did that help?" yes, "are you a bot?", goodbye).
MESSAGES = ["hi", "I am sad", "yes", "bye", "hello", "I am feeling very good", "goodbye", "hey there", "very sad",
            "yes", "are you a bot?", "perfect", "see you later"]


@dataclass(frozen=True)
class BareRasa:
    url: str
    token: str  # its HTTP API's

    @property
    def webhook_url(self) -> str:
        return self.url + WEBHOOK_PATH


def rasa_version(settings: Settings) -> str:
    python = rasa_bin(settings).with_name("python")
    return subprocess.run([str(python), "-c", "import rasa; print(rasa.__version__)"], capture_output=True,
                          text=True, check=True, env=rasa_environment(settings)).stdout.strip()


def starter_project(settings: Settings, log_path: Path) -> Path:
    """The trained starter project of this Rasa version, made now (about a minute) if it is not there yet."""
    cache = settings.models_dir / "bare-rasa"
    project = cache / f"rasa-{rasa_version(settings)}"
    if latest_model(project / "models") is not None:
        return project
    private_dir(cache)
    work = Path(tempfile.mkdtemp(prefix="init-", dir=cache))
    (work / "project").mkdir()  # `rasa init` wants it there, empty
    try:
        with open(log_path, "ab") as log:
            subprocess.run([str(rasa_bin(settings)), "init", "--no-prompt", "--init-dir", str(work / "project")],
                           cwd=work, stdout=log, stderr=subprocess.STDOUT, env=rasa_environment(settings), check=True)
        if latest_model(work / "project" / "models") is None:
            raise RuntimeError(f"`rasa init` trained no model; see {log_path}")
        (work / "project" / "credentials.yml").write_text(CREDENTIALS)
        shutil.rmtree(work / "project" / ".rasa", ignore_errors=True)  # the training cache
        shutil.rmtree(project, ignore_errors=True)
        (work / "project").rename(project)
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"`rasa init` failed with code {error.returncode}; see {log_path}") from error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return project


def start_bare_rasa(settings: Settings, log_dir: Path) -> tuple[subprocess.Popen, BareRasa]:
    """The starter assistant's rasa server, starting (see `wait_until_ready`)."""
    private_dir(log_dir)
    project = starter_project(settings, log_dir / "bare-rasa-init.log")
    server = BareRasa(f"http://127.0.0.1:{free_port()}", secrets.token_urlsafe(16))
    python = rasa_bin(settings).with_name("python")
    command = [str(python), "-m", "bot.rasa_launcher", "run", "--enable-api", "--interface", "127.0.0.1",
               "--port", server.url.rsplit(":", 1)[1], "--model", str(latest_model(project / "models")),
               "--credentials", str(project / "credentials.yml"), "--endpoints", str(project / "endpoints.yml")]
    environment = rasa_environment(settings) | {"KIZUNA_RASA_TOKEN": server.token}  # the launcher's token variable
    with open(log_dir / "bare-rasa.log", "ab") as log:
        process = subprocess.Popen(command, cwd=project, stdout=log, stderr=subprocess.STDOUT, env=environment,
                                   start_new_session=True)
    return process, server


def wait_until_ready(process: subprocess.Popen, server: BareRasa, timeout: float = 300) -> None:
    wait_for_rasa(server.url, server.token, timeout, process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def running_bare_rasa(settings: Settings, log_dir: Path, timeout: float = 300) -> Iterator[BareRasa]:
    process, server = start_bare_rasa(settings, log_dir)
    try:
        wait_until_ready(process, server, timeout)
        yield server
    finally:
        stop(process)
