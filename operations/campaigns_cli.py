"""`kizuna campaigns`: saved win-back rules, their audience and their runs."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

import click

from kizuna.db import campaigns as repository
from kizuna.db.engine import session_factory, session_scope
from kizuna.db.models import Campaign, CampaignRun
from kizuna.db.outbound_emails import email_counts
from kizuna.settings import get_settings
from operations.cli_output import echo_json
from operations.database import migrated_database_url
from outreach.campaign_fields import (DEFAULT_DAILY_BUDGET, DEFAULT_HOLDOUT_SHARE, MAX_DAILY_BUDGET, MAX_HOLDOUT_SHARE,
                                      CampaignError, checked_fields, checked_name)
from outreach.campaign_runs import CampaignNotRunnable, preview_campaign, run_active_campaigns, run_campaign
from retention.campaign_rule import KEYS, RuleError

RULE_HELP = ("The audience as JSON, or @FILE to read it from a file. Keys (all optional, at least one): "
             f"{', '.join(KEYS)}. Example: '{{\"min_churn_probability\": 0.6, \"min_tier\": \"silver\", "
             "\"min_days_since_order\": 45}'. See docs/campaigns.md.")


@click.group(help="Win-back campaigns: a saved rule picks customers drifting away, each gets the offer that fits "
             "them best (by e-mail with consent, or as a nudge in the chat widget), a holdout gets nothing so the "
             "effect can be measured. Create a campaign, preview it, approve it, then run it now or nightly from cron "
             "with `kizuna campaigns run --all`. See docs/campaigns.md.")
def campaigns() -> None:
    pass


def _now() -> datetime:
    return datetime.now(timezone.utc)


@campaigns.command("create", help="Save a campaign as a draft: nothing runs until it is approved. Example: "
                   "kizuna campaigns create --name 'Win back silver' --rule @silver.json --holdout 0.1 --budget 150")
@click.option("--name", required=True, help="A unique name (up to 120 characters); the other commands use it.")
@click.option("--rule", "rule_text", required=True, help=RULE_HELP)
@click.option("--channel", type=click.Choice(repository.CHANNELS), default="email", show_default=True,
              help="email: only customers who consented to marketing e-mail; widget: a nudge when they next visit signed in.")
@click.option("--holdout", type=float, default=DEFAULT_HOLDOUT_SHARE, show_default=True,
              help=f"Share of the chosen customers who get nothing (0 to {MAX_HOLDOUT_SHARE}), to measure what the campaign changes.")
@click.option("--budget", type=float, default=DEFAULT_DAILY_BUDGET, show_default=True,
              help=f"Most the offers sent in one day may cost, in the shop's currency (0 to {MAX_DAILY_BUDGET:,.0f}).")
@click.option("--offers", help="Offer ids of data/retention/offers.yml it may make, comma-separated (default: any that fits).")
@click.option("--description", help="What it is for, in a sentence.")
@click.option("--by", "created_by", help="Who creates it (default: the login name).")
def create_command(name: str, rule_text: str, channel: str, holdout: float, budget: float, offers: Optional[str],
                   description: Optional[str], created_by: Optional[str]) -> None:
    offer_ids = [offer.strip() for offer in offers.split(",") if offer.strip()] if offers is not None else None
    try:
        fields = checked_fields(get_settings(), rule=_rule(rule_text), channel=channel, offer_ids=offer_ids,
                                holdout_share=holdout, daily_budget=budget)
        with session_scope(migrated_database_url()) as session:
            campaign = repository.create_campaign(session, name=checked_name(name), created_by=created_by or getpass.getuser(),
                                                  description=description, **fields)
            line = _line(campaign)
    except (RuleError, ValueError) as error:
        raise click.ClickException(f"{error}\nNothing was saved.")
    click.echo(f"created {line}")
    click.echo(f"preview it with: kizuna campaigns preview {_quoted(name)}; approve it with: kizuna campaigns approve {_quoted(name)}")


@campaigns.command("list", help="Every campaign with its status, channel, holdout, budget and last run; then the "
                   "campaign e-mail by status (queued, sent, parked, cancelled).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_command(as_json: bool) -> None:
    with session_scope(migrated_database_url()) as session:
        listed = [(_line(campaign), _row(campaign), _last_run(session, campaign.id))
                  for campaign in repository.list_campaigns(session)]
        emails = email_counts(session)
    if as_json:
        for _line_text, row, last in listed:
            echo_json({**row, "last_run": last})
        return
    if not listed:
        click.echo("no campaigns yet; create one with: kizuna campaigns create --name NAME --rule JSON")
    for line, _row_data, last in listed:
        ran = f"last run {last['run_day']} ({last['status']})" if last else "never run"
        click.echo(f"{line}; {ran}")
    click.echo("e-mail: " + ", ".join(f"{count} {status}" for status, count in emails.items()))


@campaigns.command("preview", help="What the campaign would do if it ran now, as JSON: the audience, each arm, by tier, "
                   "segment and offer, the expected cost and gain, and how many were skipped and why. Writes nothing.")
@click.argument("name")
def preview_command(name: str) -> None:
    settings = get_settings()
    with session_scope(migrated_database_url()) as session:
        campaign = _campaign(session, name)
        try:
            preview = preview_campaign(session, settings, campaign.rule, channel=campaign.channel,
                                       offer_ids=campaign.offer_ids, holdout_share=campaign.holdout_share,
                                       daily_budget=campaign.daily_budget, now=_now(), campaign_id=campaign.id)
        except (RuleError, CampaignError) as error:
            raise click.ClickException(f"campaign {name!r} cannot run as saved: {error}")
    echo_json({"campaign": name, **preview})


@campaigns.command("approve", help="Approve a draft (or paused) campaign: it runs from now on, with `run` or nightly.")
@click.argument("name")
@click.option("--by", "approved_by", help="Who approves it (default: the login name).")
def approve_command(name: str, approved_by: Optional[str]) -> None:
    with session_scope(migrated_database_url()) as session:
        campaign = repository.approve_campaign(session, _campaign(session, name).id, approved_by or getpass.getuser(), _now())
        line = _line(campaign)
    click.echo(f"approved {line}")


@campaigns.command("pause", help="Stop a campaign from running (a run in progress stops after its current batch).")
@click.argument("name")
def pause_command(name: str) -> None:
    with session_scope(migrated_database_url()) as session:
        line = _line(repository.pause_campaign(session, _campaign(session, name).id))
    click.echo(f"paused {line}")


@campaigns.command("run", help="Run one approved campaign now, or with --all every approved one (for cron, e.g. "
                   "'15 2 * * * kizuna campaigns run --all'). A second run the same day contacts nobody twice. Prints "
                   "one JSON summary per campaign; exits with 1 if any failed.")
@click.argument("name", required=False)
@click.option("--all", "run_all", is_flag=True, help="Every active campaign, as the nightly schedule.")
@click.option("--by", "started_by", help="Who starts it (default: the login name; 'schedule' with --all).")
def run_command(name: Optional[str], run_all: bool, started_by: Optional[str]) -> None:
    if bool(name) == run_all:
        raise click.UsageError("give a campaign NAME or --all (not both)")
    url, settings = migrated_database_url(), get_settings()
    sessions = session_factory(url)
    if run_all:
        results = run_active_campaigns(sessions, settings, now=_now(), trigger="schedule", started_by=started_by or "schedule")
        for result in results:
            echo_json(result)
        if not results:
            click.echo("no active campaigns", err=True)
        if any(result.get("status") == "failed" for result in results):
            sys.exit(1)
        return
    with session_scope(url) as session:
        campaign_id = _campaign(session, name).id
    try:
        echo_json(run_campaign(sessions, settings, campaign_id, now=_now(), trigger="cli",
                               started_by=started_by or getpass.getuser()))
    except (CampaignNotRunnable, RuleError, CampaignError) as error:
        raise click.ClickException(str(error))
    except Exception as error:
        raise click.ClickException(f"the run failed ({type(error).__name__}: {error}); the contacts it wrote are kept "
                                   "and running it again finishes the rest")


@campaigns.command("show", help="A campaign's settings and its runs, newest first.")
@click.argument("name")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="How many runs to show.")
@click.option("--json", "as_json", is_flag=True, help="One JSON document with the campaign and its runs.")
def show_command(name: str, limit: int, as_json: bool) -> None:
    with session_scope(migrated_database_url()) as session:
        campaign = _campaign(session, name)
        data = {**_row(campaign), "runs": [_run_row(run) for run in repository.campaign_runs(session, campaign.id, limit)]}
        line = _line(campaign)
    if as_json:
        echo_json(data)
        return
    click.echo(line)
    click.echo(f"rule: {json.dumps(data['rule'], ensure_ascii=False)}")
    click.echo(f"offers: {', '.join(data['offer_ids']) if data['offer_ids'] else 'any that fits'}")
    if data["approved_by"]:
        click.echo(f"approved by {data['approved_by']} at {data['approved_at'][:19]}")
    if not data["runs"]:
        click.echo("no runs yet")
    for run in data["runs"]:
        summary = run["summary"] or {}
        click.echo(f"run {run['id']} on {run['run_day']} ({run['trigger']}, by {run['started_by']}): {run['status']}; "
                   f"treated {summary.get('treatment', '-')}, holdout {summary.get('holdout', '-')}, "
                   f"e-mails {summary.get('emails_queued', '-')}, cost {summary.get('expected_cost', '-')}"
                   + (f"; error: {run['error']}" if run["error"] else ""))


def _rule(text: str) -> Any:
    """The rule's JSON, given inline or as @FILE."""
    if text.startswith("@"):
        path = Path(text[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise click.ClickException(f"cannot read the rule file {path}: {error.strerror}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"the rule is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})"
                                   "\nNothing was saved.")


def _campaign(session, name: str) -> Campaign:
    campaign = repository.get_campaign(session, name)
    if campaign is None:
        known = ", ".join(c.name for c in repository.list_campaigns(session)) or "none yet"
        raise click.ClickException(f"no campaign named {name!r} (campaigns: {known})")
    return campaign


def _line(campaign: Campaign) -> str:
    return (f"{campaign.name} [{campaign.status}]: {campaign.channel}, holdout {campaign.holdout_share:.0%}, "
            f"budget {campaign.daily_budget:g} a day")


def _row(campaign: Campaign) -> dict[str, Any]:
    return {"id": campaign.id, "name": campaign.name, "description": campaign.description, "status": campaign.status,
            "rule": campaign.rule, "channel": campaign.channel, "offer_ids": campaign.offer_ids,
            "holdout_share": campaign.holdout_share, "daily_budget": campaign.daily_budget,
            "created_by": campaign.created_by, "created_at": _iso(campaign.created_at),
            "approved_by": campaign.approved_by, "approved_at": _iso(campaign.approved_at)}


def _run_row(run: CampaignRun) -> dict[str, Any]:
    return {"id": run.id, "run_day": run.run_day.isoformat(), "trigger": run.trigger, "started_by": run.started_by,
            "status": run.status, "summary": run.summary, "error": run.error, "started_at": _iso(run.started_at),
            "finished_at": _iso(run.finished_at)}


def _last_run(session, campaign_id: int) -> Optional[dict[str, Any]]:
    runs = repository.campaign_runs(session, campaign_id, limit=1)
    return _run_row(runs[0]) if runs else None


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() if moment else None


def _quoted(name: str) -> str:
    return f"'{name}'" if " " in name else name
