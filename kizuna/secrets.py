"""Tokens generated once at set-up and kept in var/secrets.json (never a known default)."""

from __future__ import annotations

import json
import os
import secrets
from functools import lru_cache
from pathlib import Path

from kizuna.private_files import private_dir

SECRET_NAMES = ("rasa_token", "action_token", "channel_token", "admin_password", "widget_secret", "demo_agent_password",
                "link_secret", "shop_webhook_secret")


def secrets_path(var_dir: Path) -> Path:
    return var_dir / "secrets.json"


def ensure_secrets(var_dir: Path) -> dict[str, str]:
    path = secrets_path(var_dir)
    current = load_secrets(var_dir)
    missing = {name: secrets.token_urlsafe(32) for name in SECRET_NAMES if not current.get(name)}
    private_dir(var_dir, narrow_existing=True)  # var/ holds the databases and logs too
    if missing:
        current.update(missing)
        # created readable by the owner only, before any secret is written into it
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
            file.write(json.dumps(current, indent=2))
        os.chmod(path, 0o600)  # a file from before keeps its old mode through os.open
    return current


def load_secrets(var_dir: Path) -> dict[str, str]:
    """The secrets `kizuna setup` wrote; read again only when the file changed (set-up may write it after
    the settings were made, in the same process)."""
    path = secrets_path(var_dir)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return {}
    return dict(_read_secrets(str(path), stamp))


@lru_cache(maxsize=8)
def _read_secrets(path: str, _stamp: int) -> dict[str, str]:
    return json.loads(Path(path).read_text())
