"""`kizuna webhooks`: the shop's endpoints that receive signed events, and their deliveries."""

from __future__ import annotations

import getpass
from datetime import datetime, timezone
from typing import Any, Optional

import click

from kizuna.db import webhooks as repository
from kizuna.db.engine import session_scope
from kizuna.db.models import WebhookDelivery, WebhookEndpoint
from kizuna.settings import get_settings
from operations.cli_output import echo_json
from operations.database import migrated_database_url


@click.group(help="Webhooks: endpoints of the shop's other tools that receive signed events "
             f"({', '.join(repository.EVENT_TYPES)}). Each delivery is signed with the endpoint's secret "
             "(header Kizuna-Signature, see docs/webhooks.md) and retried for about 9 hours before it is dead.")
def webhooks() -> None:
    pass


def _event_names(values: tuple[str, ...]) -> list[str]:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return list(repository.EVENT_TYPES) if "all" in names else names


@webhooks.command("add", help="Add an endpoint and print its signing secret, once: give it to the receiver now, "
                  "it is not shown again. Example: kizuna webhooks add https://crm.example.com/kizuna "
                  "--event offer.issued --event offer.redeemed. The URL's host must be public (not this machine or a "
                  "private network) unless KIZUNA_WEBHOOK_ALLOW_PRIVATE=1.")
@click.argument("url")
@click.option("--event", "events", multiple=True, required=True,
              help=f"An event type to receive; repeat it or separate with commas, or 'all'. "
                   f"Types: {', '.join(repository.EVENT_TYPES)}.")
@click.option("--description", help="What receives it, e.g. 'CRM' (up to 200 characters).")
@click.option("--by", "created_by", help="Who adds it (default: the login name).")
def add_command(url: str, events: tuple[str, ...], description: Optional[str], created_by: Optional[str]) -> None:
    try:
        with session_scope(migrated_database_url()) as session:
            endpoint, secret = repository.create_endpoint(session, url, _event_names(events), created_by or getpass.getuser(),
                                                          description,
                                                          allow_private_targets=get_settings().webhook_allow_private_targets)
            summary = _endpoint_line(endpoint)
    except repository.WebhookError as error:
        raise click.ClickException(f"{error}\nNo endpoint was added.")
    click.echo(f"added {summary}")
    click.echo(f"signing secret (shown once, keep it in the receiver): {secret}")


@webhooks.command("list", help="The active endpoints (with --all also the removed ones); secrets are never shown.")
@click.option("--all", "include_inactive", is_flag=True, help="Also list removed endpoints.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_command(include_inactive: bool, as_json: bool) -> None:
    with session_scope(migrated_database_url()) as session:
        endpoints = repository.list_endpoints(session, include_inactive=include_inactive)
        rows = [_endpoint_row(endpoint) for endpoint in endpoints]
    if as_json:
        for row in rows:
            echo_json(row)
        return
    if not rows:
        click.echo("no webhook endpoints; add one with: kizuna webhooks add URL --event TYPE")
    for endpoint in endpoints:
        click.echo(_endpoint_line(endpoint))


@webhooks.command("remove", help="Stop sending to an endpoint (by the id `list` shows); its waiting deliveries become dead.")
@click.argument("endpoint_id", type=int)
def remove_command(endpoint_id: int) -> None:
    try:
        with session_scope(migrated_database_url()) as session:
            endpoint = repository.deactivate_endpoint(session, endpoint_id)
            url = endpoint.url
    except repository.WebhookError as error:
        raise click.ClickException(str(error))
    click.echo(f"removed endpoint {endpoint_id} ({url})")


@webhooks.command("deliveries", help="The newest deliveries with their status, tries and last error, and the counts "
                  "by status. --dead lists the dead ones, which `kizuna webhooks retry ID` sends again.")
@click.option("--dead", is_flag=True, help="Only dead deliveries.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000), help="How many to show.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line (with the event's payload).")
def deliveries_command(dead: bool, limit: int, as_json: bool) -> None:
    with session_scope(migrated_database_url()) as session:
        rows = [_delivery_row(delivery) for delivery in
                repository.deliveries(session, status="dead" if dead else None, limit=limit)]
        counts = repository.delivery_counts(session)
    if as_json:
        for row in rows:
            echo_json(row)
        return
    click.echo(" ".join(f"{status}: {count}" for status, count in counts.items()))
    click.echo(f"{'id':>6} {'endpoint':>8} {'event':<23} {'status':<9} {'tries':>5} {'next try':<20} last error")
    for row in rows:
        next_try = row["next_attempt_at"][:19] if row["status"] == "pending" else "-"
        click.echo(f"{row['id']:>6} {row['endpoint_id']:>8} {row['event_type']:<23} {row['status']:<9} "
                   f"{row['attempts']:>5} {next_try:<20} {row['last_error'] or ''}")


@webhooks.command("retry", help="Send a dead delivery again (by the id `deliveries --dead` shows): pending at once, "
                  "with a fresh round of tries.")
@click.argument("delivery_id", type=int)
def retry_command(delivery_id: int) -> None:
    try:
        with session_scope(migrated_database_url()) as session:
            repository.retry_delivery(session, delivery_id, datetime.now(timezone.utc))
    except repository.WebhookError as error:
        raise click.ClickException(str(error))
    click.echo(f"delivery {delivery_id} is pending again; the worker sends it within seconds")


def _endpoint_line(endpoint: WebhookEndpoint) -> str:
    state = "" if endpoint.active else " [removed]"
    about = f" - {endpoint.description}" if endpoint.description else ""
    return f"endpoint {endpoint.id}: {endpoint.url} ({', '.join(endpoint.events)}){about}{state}"


def _endpoint_row(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {"id": endpoint.id, "url": endpoint.url, "events": list(endpoint.events), "active": endpoint.active,
            "description": endpoint.description, "created_by": endpoint.created_by,
            "created_at": endpoint.created_at.isoformat() if endpoint.created_at else None}


def _delivery_row(delivery: WebhookDelivery) -> dict[str, Any]:
    return {"id": delivery.id, "endpoint_id": delivery.endpoint_id, "event_id": delivery.event_id,
            "event_type": delivery.event_type, "status": delivery.status, "attempts": delivery.attempts,
            "next_attempt_at": delivery.next_attempt_at.isoformat(), "last_status_code": delivery.last_status_code,
            "last_error": delivery.last_error, "created_at": delivery.created_at.isoformat(),
            "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
            "payload": delivery.payload}
