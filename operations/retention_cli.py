"""`kizuna retention report`: what the retention offers did, treatment against control."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Optional

import click
from kizuna.db.engine import session_scope
from kizuna.db.migrate import upgrade
from kizuna.settings import get_settings


@click.group(help="Retention offers and their effect.")
def retention() -> None:
    pass


@retention.command("report", help="Offers made, accepted and declined, and retention per arm (treatment and control) "
                   "with counts and a 95 % Wilson interval. JSON.")
@click.option("--days", type=click.IntRange(1), help="Only decisions of the last N days (default: all).")
def report_command(days: Optional[int]) -> None:
    from turn_core.retention_report import retention_report


    url = get_settings().effective_database_url
    upgrade(url)
    since = datetime.now(timezone.utc) - timedelta(days=days) if days else None
    with session_scope(url) as session:
        click.echo(json.dumps(retention_report(session, since)))
