"""A local SMTP server for development and demos (`kizuna serve mailcatcher`): it accepts every message on
loopback and saves it as an .eml file (open it with any mail program) instead of delivering it."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session as SmtpSession, SMTP

from kizuna.private_files import private_dir

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 1025


class SaveToFiles:
    """aiosmtpd handler: each message one file, <time>-<random>.eml, written whole before it appears."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        content: Any = envelope.original_content or envelope.content
        data = content if isinstance(content, bytes) else str(content).encode("utf-8")
        private_dir(self.directory)
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.directory / f".{name}.part"
        partial.write_bytes(data)
        os.replace(partial, self.directory / name)
        return "250 Message accepted for delivery"


def start_mail_catcher(directory: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> Controller:
    """Started in a thread; call .stop() on what it returns."""
    controller = Controller(SaveToFiles(directory), hostname=host, port=port)
    controller.start()
    return controller
