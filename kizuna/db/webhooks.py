"""Webhook events and their deliveries: an event is written in the transaction of what it reports, one
delivery per active endpoint that subscribed to its type; the delivery worker sends them."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import WebhookDelivery, WebhookEndpoint

EVENT_TYPES = ("customer.at_risk", "offer.issued", "offer.redeemed", "conversation.escalated", "conversation.resolved")


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
