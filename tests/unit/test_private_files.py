"""What kizuna writes (databases, logs, secrets, var/) is readable by its owner only, whatever the shell's umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kizuna.secrets import ensure_secrets
from operations.stack import ManagedProcess

KIZUNA = Path(sys.executable).parent / "kizuna"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask():
    """A shell that would make files readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def kizuna(var_dir: Path, *arguments: str) -> None:
    environment = {**os.environ, "KIZUNA_VAR_DIR": str(var_dir)}
    environment.pop("KIZUNA_DATABASE_URL", None)
    subprocess.run([str(KIZUNA), *arguments], env=environment, check=True, capture_output=True, timeout=120)


def test_the_database_and_var_are_created_owner_only(tmp_path, permissive_umask):
    var_dir = tmp_path / "var"
    kizuna(var_dir, "db", "upgrade")
    assert mode(var_dir) == 0o700
    assert mode(var_dir / "kizuna.db") == 0o600


def test_a_database_from_before_is_narrowed_with_its_write_ahead_log(tmp_path, permissive_umask):
    var_dir = tmp_path / "var"
    kizuna(var_dir, "db", "upgrade")
    for name in ("kizuna.db", "kizuna.db-wal"):
        (var_dir / name).touch()
        os.chmod(var_dir / name, 0o644)
    kizuna(var_dir, "users", "list")
    assert mode(var_dir / "kizuna.db") == 0o600
    assert not (var_dir / "kizuna.db-wal").exists() or mode(var_dir / "kizuna.db-wal") == 0o600


def test_set_up_narrows_an_existing_var_folder_and_keeps_secrets_owner_only(tmp_path, permissive_umask):
    var_dir = tmp_path / "var"
    var_dir.mkdir(mode=0o755)
    ensure_secrets(var_dir)
    assert mode(var_dir) == 0o700 and mode(var_dir / "secrets.json") == 0o600


def test_logs_and_what_the_processes_write_are_owner_only(tmp_path, permissive_umask):
    written = tmp_path / "written-by-the-process.db"
    log = tmp_path / "var" / "logs" / "console.log"
    process = ManagedProcess("writer", [sys.executable, "-c", f"open({str(written)!r}, 'w').write('x'); print('up')"],
                             dict(os.environ), log)
    process.start()
    assert process.process.wait(timeout=30) == 0
    assert log.read_text() == "up\n"
    assert (mode(log.parent), mode(log), mode(written)) == (0o700, 0o600, 0o600)
