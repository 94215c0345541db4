"""Webhook endpoints, events and their deliveries: an event is written in the transaction of what it reports,
one delivery per active endpoint that subscribed to its type; the delivery worker claims and sends them."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kizuna.db.models import WebhookDelivery, WebhookEndpoint
from kizuna.moments import as_utc
from kizuna.webhook_targets import TargetRefused, check_target

EVENT_TYPES = ("customer.at_risk", "offer.issued", "offer.redeemed", "conversation.escalated", "conversation.resolved")
DELIVERY_STATUSES = ("pending", "delivered", "dead")
URL_SCHEMES = ("http", "https")
MAX_URL_LENGTH = 500
MAX_DESCRIPTION_LENGTH = 200


class WebhookError(ValueError):
    """A request about endpoints or deliveries that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class ClaimedDelivery:
    """What the worker needs to send one claimed delivery, read before the HTTP call."""

    id: int
    url: str
    secret: str
    event_id: str
    event_type: str
    payload: dict[str, Any]
    attempts: int  # including this one


def enqueue_event(session: Session, event_type: str, data: dict[str, Any], now: Optional[datetime] = None) -> Optional[str]:
    """Queue the event for every active endpoint subscribed to it, in the caller's transaction.
    Returns the event id, or None when no endpoint wants it."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = [endpoint for endpoint in session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.active.is_(True)))
                 if event_type in endpoint.events]
    if not endpoints:
        return None
    now = now or datetime.now(timezone.utc)
    event_id = str(uuid.uuid4())
    payload = {"id": event_id, "type": event_type, "created_at": now.isoformat(), "data": data}
    for endpoint in endpoints:
        session.add(WebhookDelivery(endpoint_id=endpoint.id, event_id=event_id, event_type=event_type, payload=payload,
                                    status="pending", attempts=0, next_attempt_at=now, created_at=now))
    return event_id


def check_url(url: str, *, allow_private_targets: bool = False) -> str:
    """The URL, stripped, if it is an absolute http(s) URL with a host and no credentials, whose host resolves to
    public addresses only unless `allow_private_targets` (kizuna.webhook_targets); else WebhookError."""
    url = (url or "").strip()
    if len(url) > MAX_URL_LENGTH:
        raise WebhookError(f"the URL is longer than {MAX_URL_LENGTH} characters")
    try:
        check_target(url, allow_private=allow_private_targets)
    except TargetRefused as refused:
        raise WebhookError(str(refused)) from None
    return url


def check_events(events: Iterable[str]) -> list[str]:
    """The event types, each known and listed once; else WebhookError naming the unknown one."""
    chosen: list[str] = []
    for event in events:
        name = (event or "").strip()
        if name not in EVENT_TYPES:
            raise WebhookError(f"unknown event type {name!r}; known: {', '.join(EVENT_TYPES)}")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise WebhookError(f"choose at least one event type: {', '.join(EVENT_TYPES)}")
    return chosen


def create_endpoint(session: Session, url: str, events: Iterable[str], created_by: str,
                    description: Optional[str] = None, *, allow_private_targets: bool = False) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint and its signing secret (shown to the admin once; the receiver keeps it).
    `allow_private_targets`: the setting KIZUNA_WEBHOOK_ALLOW_PRIVATE of the caller."""
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        raise WebhookError(f"the description is longer than {MAX_DESCRIPTION_LENGTH} characters")
    chosen = check_events(events)  # before the URL, whose check may wait for DNS
    checked_url = check_url(url, allow_private_targets=allow_private_targets)
    secret = "whsec_" + secrets.token_hex(32)
    endpoint = WebhookEndpoint(url=checked_url, secret=secret, events=chosen, active=True,
                               description=(description or "").strip() or None, created_by=created_by,
                               created_at=datetime.now(timezone.utc))
    session.add(endpoint)
    session.flush()
    return endpoint, secret


def list_endpoints(session: Session, include_inactive: bool = False) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).order_by(WebhookEndpoint.id)
    if not include_inactive:
        query = query.where(WebhookEndpoint.active.is_(True))
    return list(session.scalars(query))


def deactivate_endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
    """Stop sending to the endpoint; its deliveries still waiting become dead ("endpoint removed")."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise WebhookError(f"no webhook endpoint {endpoint_id}")
    endpoint.active = False
    session.execute(update(WebhookDelivery)
                    .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == "pending")
                    .values(status="dead", last_error="endpoint removed")
                    .execution_options(synchronize_session=False))
    return endpoint


def deliveries(session: Session, *, status: Optional[str] = None, limit: int = 50) -> list[WebhookDelivery]:
    """The newest deliveries, of one status if given."""
    if status is not None and status not in DELIVERY_STATUSES:
        raise WebhookError(f"unknown delivery status {status!r}; known: {', '.join(DELIVERY_STATUSES)}")
    query = select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(limit)
    if status is not None:
        query = query.where(WebhookDelivery.status == status)
    return list(session.scalars(query))


def dead_deliveries(session: Session, limit: int = 50) -> list[WebhookDelivery]:
    return deliveries(session, status="dead", limit=limit)


def retry_delivery(session: Session, delivery_id: int, now: datetime) -> WebhookDelivery:
    """Send a dead delivery again: pending at once, with a fresh round of tries."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise WebhookError(f"no webhook delivery {delivery_id}")
    if delivery.status != "dead":
        raise WebhookError(f"delivery {delivery_id} is {delivery.status}: only a dead delivery can be retried")
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    if endpoint is None or not endpoint.active:
        raise WebhookError(f"the endpoint of delivery {delivery_id} was removed: add it again to receive events")
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, as_utc(now)
    return delivery


def delivery_counts(session: Session) -> dict[str, int]:
    """How many deliveries are in each status (every status listed, zero if none)."""
    counts = dict.fromkeys(DELIVERY_STATUSES, 0)
    for status, count in session.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)):
        counts[status] = count
    return counts


def due_deliveries(session: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(delivery id, endpoint id) of the pending deliveries to active endpoints whose time has come, oldest first."""
    return [(row.id, row.endpoint_id) for row in session.execute(
        select(WebhookDelivery.id, WebhookDelivery.endpoint_id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now, WebhookEndpoint.active.is_(True))
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit))]


def claim_delivery(session: Session, delivery_id: int, now: datetime, lease_until: datetime) -> Optional[ClaimedDelivery]:
    """Take the delivery for one send in a conditional UPDATE (counting the try and moving its next attempt to
    `lease_until`), so of two workers only one gets it, and a worker that dies mid-send has used the try; None
    if another worker has it or it is no longer due."""
    result = session.execute(update(WebhookDelivery)
                             .where(WebhookDelivery.id == delivery_id, WebhookDelivery.status == "pending",
                                    WebhookDelivery.next_attempt_at <= now)
                             .values(attempts=WebhookDelivery.attempts + 1, next_attempt_at=lease_until)
                             .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return None
    delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    return ClaimedDelivery(id=delivery.id, url=endpoint.url, secret=endpoint.secret, event_id=delivery.event_id,
                           event_type=delivery.event_type, payload=delivery.payload, attempts=delivery.attempts)


def record_delivered(session: Session, delivery_id: int, status_code: int, now: datetime) -> None:
    delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    delivery.status = "delivered"
    delivery.last_status_code, delivery.last_error, delivery.delivered_at = status_code, None, now


def record_failure(session: Session, delivery_id: int, error: str, status_code: Optional[int],
                   next_attempt_at: Optional[datetime]) -> None:
    """One failed try (counted when it was claimed): pending again at `next_attempt_at`, or dead when there is none."""
    delivery = session.get(WebhookDelivery, delivery_id, populate_existing=True)
    delivery.last_error, delivery.last_status_code = error[:500], status_code
    if next_attempt_at is None:
        delivery.status = "dead"
    else:
        delivery.next_attempt_at = next_attempt_at
