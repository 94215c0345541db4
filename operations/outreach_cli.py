"""Serving the outreach processes: the delivery worker (e-mail and webhooks) and a local mail catcher."""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import Optional

import click

from kizuna.db.engine import session_factory
from kizuna.settings import get_settings
from outreach.mail_catcher import DEFAULT_HOST, DEFAULT_PORT, start_mail_catcher
from outreach.worker import POLL_SECONDS, run_worker


@click.command("worker", help="The delivery worker: every few seconds it sends the campaign e-mail (to "
                              "KIZUNA_SMTP_HOST) and the webhooks that are due. Several may run at once.")
@click.option("--poll", type=float, default=POLL_SECONDS, show_default=True, help="Seconds between rounds.")
def serve_worker(poll: float) -> None:
    _log_to_stdout()
    settings = get_settings()
    if not settings.smtp_host:
        logging.getLogger(__name__).warning("no KIZUNA_SMTP_HOST: campaign e-mail stays queued until one is set")
    stop = _stop_on_signals()
    run_worker(session_factory(settings.effective_database_url), settings, stop, poll_seconds=poll)


@click.command("mailcatcher", help="A local SMTP server for trying campaigns out: it keeps every message as an .eml "
                                   "file (default var/mail/) instead of delivering it.")
@click.option("--host", default=DEFAULT_HOST, show_default=True)
@click.option("--port", type=int, default=DEFAULT_PORT, show_default=True)
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the messages go (default: var/mail under KIZUNA_VAR_DIR).")
def serve_mailcatcher(host: str, port: int, directory: Optional[Path]) -> None:
    _log_to_stdout()
    directory = directory or get_settings().var_dir / "mail"
    stop = _stop_on_signals()
    try:
        catcher = start_mail_catcher(directory, host, port)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error}")
    logging.getLogger(__name__).info("mail catcher on %s:%s, saving to %s", host, port, directory)
    try:
        stop.wait()
    finally:
        catcher.stop()


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop.set())
    return stop


def _log_to_stdout() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s  %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # request URLs at INFO
