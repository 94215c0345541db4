"""Through the real stack: after `kizuna customers erase`, no byte of the customer's words is left in any file
under var/ (app database and its write-ahead log, Rasa's tracker store, logs); and everything there is
readable by its owner only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from kizuna.db.engine import session_scope
from kizuna.db.models import Customer
from kizuna.secrets import load_secrets
from tests.integration.chat import Chat
from tests.integration.staff_client import staff_client

pytestmark = pytest.mark.integration

MARKER = "Quillonbrexa"  # a name nobody else in the shop has
WORDS = f"I'm {MARKER} Smith, refund me at {MARKER.lower()}@example.org or call +44 7700 900456"


def files_holding(folder: Path, marker: str) -> list[str]:
    needles = [marker.encode(), marker.lower().encode(), marker.encode("utf-16-le")]
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_file() and any(needle in path.read_bytes() for needle in needles))


def erase_as_operator(running, url: str, customer: str) -> subprocess.CompletedProcess:
    kizuna = Path(sys.executable).parent / "kizuna"
    environment = {**os.environ, "KIZUNA_DATABASE_URL": url, "KIZUNA_VAR_DIR": str(running.settings.var_dir)}
    return subprocess.run([str(kizuna), "customers", "erase", customer, "--by", "dpo"], env=environment,
                          capture_output=True, text=True, timeout=180)


def test_erasure_leaves_no_marker_bytes_in_any_file_under_var(stack):
    running, url = stack
    var_dir = running.settings.var_dir
    with session_scope(url) as session:
        session.add(Customer(external_id="C9101", name=f"{MARKER} Smith", email=f"{MARKER.lower()}@example.org"))
    chat = Chat(running, customer_id="C9101")
    assert chat.say(WORDS)
    with closing(staff_client(running.console_url, "admin", load_secrets(var_dir)["admin_password"])) as admin:
        taken = admin.post(f"/api/agent/conversations/{chat.conversation_id}/take")
        assert taken.status_code == 200, taken.text
        assert admin.post(f"/api/agent/conversations/{chat.conversation_id}/messages",
                          json={"text": f"Hello {MARKER}, I'm on it"}).status_code == 200
        assert admin.post(f"/api/agent/conversations/{chat.conversation_id}/notes",
                          json={"text": f"{MARKER} called twice"}).status_code == 201
    assert "rasa_tracker.db" in files_holding(var_dir, MARKER)  # Rasa got the customer's words

    result = erase_as_operator(running, url, "C9101")

    assert result.returncode == 0, result.stderr
    assert files_holding(var_dir, MARKER) == []


def test_everything_under_var_is_readable_by_its_owner_only(stack):
    running, _url = stack
    var_dir = running.settings.var_dir
    Chat(running).say("hello")  # the databases and logs are written
    too_open = [f"{path.relative_to(var_dir)} {stat.S_IMODE(path.stat().st_mode):o}" for path in [var_dir, *var_dir.rglob("*")]
                if stat.S_IMODE(path.stat().st_mode) & 0o077]
    assert too_open == []
