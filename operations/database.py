"""The database the commands work on: the configured one, migrated to the newest schema first."""

from __future__ import annotations

from kizuna.db.migrate import upgrade
from kizuna.settings import get_settings


def migrated_database_url() -> str:
    """The configured database URL, after bringing its schema up to date (a no-op when it is)."""
    url = get_settings().effective_database_url
    upgrade(url)
    return url
