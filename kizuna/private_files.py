"""What kizuna writes (databases, logs, secrets, var/) is readable by its owner only: customers' words and
secrets live there. Processes start with umask 077; files that may predate that are narrowed explicitly."""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY_UMASK = 0o077
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def owner_only_from_now_on() -> None:
    """Every file and folder this process (and its children) creates is its owner's only."""
    os.umask(OWNER_ONLY_UMASK)


def private_dir(path: Path, narrow_existing: bool = False) -> Path:
    """Create `path` owner-only if missing; `narrow_existing` for a folder that is kizuna's own (var/, logs/),
    never for one it merely writes into (such as /tmp)."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if narrow_existing:
        _narrow(path, PRIVATE_DIR_MODE)  # mkdir leaves an existing folder's mode as it was
    return path


def private_file(path: Path) -> Path:
    """Create `path` owner-only if missing, else narrow it. An existing file is never opened here: closing a
    SQLite file this process has open would drop the process's locks on it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    _narrow(path, PRIVATE_FILE_MODE)
    return path


def narrow_if_present(*paths: Path) -> None:
    for path in paths:
        if path.exists():
            _narrow(path, PRIVATE_FILE_MODE)


def _narrow(path: Path, mode: int) -> None:
    try:
        os.chmod(path, mode)
    except PermissionError:  # another user's file (a shared deployment): its owner decides
        pass
