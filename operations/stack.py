"""Starting and stopping the processes of `kizuna run`: rasa server, action server, console and the delivery
worker (with a local mail catcher for its e-mail when no SMTP server is configured)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

import httpx

from retraining.nlu_models import serving_model
from kizuna.private_files import OWNER_ONLY_UMASK, private_dir, private_file
from retraining.rasa_env import ensure_encoder, rasa_variables, server_command, wait_for_rasa
from kizuna.settings import PROJECT_ROOT, Settings
from outreach.mail_catcher import DEFAULT_HOST as MAIL_CATCHER_HOST, DEFAULT_PORT as MAIL_CATCHER_PORT


@dataclass
class ManagedProcess:
    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Optional[Path]  # None: this process's own stdout and stderr
    process: Optional[subprocess.Popen] = None
    listens_on: Optional[int] = None  # a loopback port: start() returns once it accepts connections

    def start(self) -> None:
        # umask: the databases, tracker store and files each process writes are its owner's only
        if self.log_path is None:
            self.process = subprocess.Popen(self.command, env=self.env, cwd=PROJECT_ROOT, start_new_session=True,
                                            umask=OWNER_ONLY_UMASK)
        else:
            private_dir(self.log_path.parent, narrow_existing=True)
            with open(private_file(self.log_path), "ab") as log:
                self.process = subprocess.Popen(
                    self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=PROJECT_ROOT,
                    start_new_session=True, umask=OWNER_ONLY_UMASK,
                )
        if self.listens_on is not None:
            _wait_port(self.listens_on, time.monotonic() + 30, self)

    def stop(self, timeout: float = 15) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Stack:
    settings: Settings
    log_dir: Path
    processes: list[ManagedProcess] = field(default_factory=list)

    @property
    def console_url(self) -> str:
        return f"http://{self.settings.console_host}:{self.settings.console_port}"

    def start(self, timeout: float = 240) -> None:
        model = serving_model(self.settings)
        if model is None:
            raise FileNotFoundError("no trained assistant; run `kizuna nlu train` first")
        self.processes = [
            action_server_process(self.settings, self.log_dir / "actions.log"),
            rasa_process(self.settings, model, self.log_dir / "rasa.log"),
            console_process(self.settings, self.log_dir / "console.log"),
            *outreach_processes(self.settings, self.log_dir),
        ]
        try:
            for managed in self.processes:
                managed.start()
            self._wait_until_ready(timeout, self.settings.effective_rasa_token)
        except BaseException:
            self.stop()
            raise

    def start_console_only(self, timeout: float = 60) -> None:
        """Just the console (pages, widget, API); the bot's turns get the apology until rasa is up."""
        self.processes = [console_process(self.settings, self.log_dir / "console.log")]
        self.processes[0].start()
        try:
            _wait_http(f"{self.console_url}/widget.js", time.monotonic() + timeout, self._check_alive)
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self, timeout: float, token: str) -> None:
        deadline = time.monotonic() + timeout
        _wait_http(f"http://127.0.0.1:{self.settings.action_server_port}/health", deadline, self._check_alive)
        wait_for_rasa(self.settings.rasa_url, token, max(1.0, deadline - time.monotonic()), self.processes[1].process)
        _wait_http(f"{self.console_url}/healthz", deadline, self._check_alive)

    def _check_alive(self) -> None:
        for managed in self.processes:
            if not managed.running():
                raise RuntimeError(f"{managed.name} exited early; see {managed.log_path}")

    def stop(self) -> None:
        for managed in reversed(self.processes):
            managed.stop()

    def first_exited(self) -> Optional[ManagedProcess]:
        return next((m for m in self.processes if not m.running()), None)


def app_environment(settings: Settings) -> dict[str, str]:
    """What the action server and the console are started with: the settings this process resolved."""
    env = dict(os.environ)
    env.update(
        {
            "KIZUNA_DATABASE_URL": settings.effective_database_url,
            "KIZUNA_VAR_DIR": str(settings.var_dir),
            "KIZUNA_MODELS_DIR": str(settings.models_dir),
            "KIZUNA_RASA_URL": settings.rasa_url,
            "KIZUNA_RASA_TOKEN": settings.effective_rasa_token,
            "KIZUNA_ACTION_PORT": str(settings.action_server_port),
            "KIZUNA_ACTION_TOKEN": settings.effective_action_token,
            "KIZUNA_CONSOLE_HOST": settings.console_host,
            "KIZUNA_CONSOLE_PORT": str(settings.console_port),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
    )
    if settings.sentiment_model:
        env["KIZUNA_SENTIMENT_MODEL"] = settings.sentiment_model
    return env


def action_server_process(settings: Settings, log_path: Optional[Path]) -> ManagedProcess:
    command = [sys.executable, "-m", "actions.server", "--port", str(settings.action_server_port)]
    return ManagedProcess("actions", command, app_environment(settings), log_path)


def rasa_process(settings: Settings, model: Path, log_path: Optional[Path]) -> ManagedProcess:
    ensure_encoder(settings)
    port = urlsplit(settings.rasa_url).port or 5005
    command = server_command(settings, model, port)
    return ManagedProcess("rasa", command, app_environment(settings) | rasa_variables(settings), log_path)


def console_process(settings: Settings, log_path: Optional[Path]) -> ManagedProcess:
    command = [
        sys.executable, "-m", "uvicorn", "console.app:create_app", "--factory",
        "--host", settings.console_host, "--port", str(settings.console_port),
        "--no-access-log",
        "--ws-max-size", "16384",  # the widget's frames are at most 16 KB; a larger one is refused before it is read
    ]
    return ManagedProcess("console", command, app_environment(settings), log_path)


def outreach_processes(settings: Settings, log_dir: Path) -> list[ManagedProcess]:
    """The delivery worker; without KIZUNA_SMTP_HOST also the mail catcher, which the worker then mails to."""
    command = [sys.executable, "-m", "operations.cli", "serve"]
    env = app_environment(settings)
    if settings.smtp_host:
        return [ManagedProcess("worker", [*command, "worker"], env, log_dir / "worker.log")]
    port = _mail_catcher_port()
    catcher_env = env | {"KIZUNA_SMTP_HOST": MAIL_CATCHER_HOST, "KIZUNA_SMTP_PORT": str(port),
                         "KIZUNA_SMTP_STARTTLS": "0", "KIZUNA_SMTP_USERNAME": "", "KIZUNA_SMTP_PASSWORD": ""}
    catcher = [*command, "mailcatcher", "--host", MAIL_CATCHER_HOST, "--port", str(port),
               "--dir", str(settings.var_dir / "mail")]
    # the catcher first, listening before the worker's first round
    return [ManagedProcess("mailcatcher", catcher, env, log_dir / "mailcatcher.log", listens_on=port),
            ManagedProcess("worker", [*command, "worker"], catcher_env, log_dir / "worker.log")]


def _mail_catcher_port() -> int:
    """1025, unless something (another stack on this machine) holds it: then any free port."""
    for wanted in (MAIL_CATCHER_PORT, 0):
        with socket.socket() as probe:
            try:
                probe.bind((MAIL_CATCHER_HOST, wanted))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError("no free port for the mail catcher")


def _wait_port(port: int, deadline: float, managed: ManagedProcess) -> None:
    while time.monotonic() < deadline:
        if not managed.running():
            raise RuntimeError(f"{managed.name} exited early; see {managed.log_path}")
        try:
            socket.create_connection((MAIL_CATCHER_HOST, port), timeout=1.0).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{managed.name} did not listen on port {port} in time")


def _wait_http(url: str, deadline: float, check_alive) -> None:  # type: ignore[no-untyped-def]
    while time.monotonic() < deadline:
        check_alive()
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in time")
