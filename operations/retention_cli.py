"""`kizuna retention report`: what the retention offers did, treatment against control, and what each campaign
did, treated against holdout."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Optional

import click

from kizuna.db.engine import session_scope
from operations.database import migrated_database_url
from outreach.campaign_report import campaign_report
from turn_core.retention_report import retention_report


@click.group(help="Retention offers and their effect.")
def retention() -> None:
    pass


@retention.command("report", help="Offers made, accepted and declined, and retention per arm (treatment and control) "
                   "with counts and a 95 % Wilson interval; under \"campaigns\", per campaign and per offer: sends, opens, "
                   "clicks, redemptions, orders and revenue in the 30 days after each contact, treated against holdout, "
                   "the uplift with its 95 % interval and the cost of the redeemed offers (docs/retention-results.md). JSON.")
@click.option("--days", type=click.IntRange(1), help="Only decisions and campaign contacts of the last N days (default: all).")
def report_command(days: Optional[int]) -> None:
    url = migrated_database_url()
    now = datetime.now(timezone.utc)
    since = now - timedelta(days=days) if days else None
    with session_scope(url) as session:
        report = retention_report(session, since)
        report["campaigns"] = campaign_report(session, now=now, since=since)["campaigns"]
    click.echo(json.dumps(report))
