"""Sending due webhook deliveries: each is claimed first (so two workers never send one twice), signed, POSTed
with a short timeout; a 2xx answer delivers it, anything else is tried again after the backoff
(outreach.backoff), then the delivery is dead (listed for an admin, who may send it again). An endpoint that does not
answer (timeout, refused connection) gets no more tries in the same round: its other deliveries wait for the
next round rather than holding up the worker for a timeout each."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import NamedTuple, Optional
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session, sessionmaker

from kizuna.db import webhooks
from kizuna.db.webhooks import ClaimedDelivery
from kizuna.moments import as_utc
from kizuna.settings import Settings
from kizuna.webhook_targets import HostUnresolved, TargetNotPublic, TargetRefused, check_target
from outreach.backoff import next_try_at
from outreach.webhook_signing import EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, sign

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(5.0)
CLAIM_LEASE = timedelta(minutes=5)  # far longer than one send; a worker that dies mid-send frees it after this
USER_AGENT = "kizuna-webhooks/1"


class Outcome(NamedTuple):
    status_code: Optional[int]
    error: Optional[str]  # None when delivered
    final: bool = False  # no point in trying again (not an http(s) URL)
    unreachable: bool = False  # no answer at all: the endpoint's other deliveries wait for the next round


def deliver_due(session_factory: sessionmaker[Session], settings: Settings, *, now: datetime,
                limit: int = 100) -> dict[str, int]:
    """Send up to `limit` due deliveries; counts of what happened (delivered, retrying, dead, and deferred: left
    for the next round because their endpoint did not answer in this one)."""
    now = as_utc(now)
    counts = {"delivered": 0, "retrying": 0, "dead": 0, "deferred": 0}
    with session_factory() as session:
        due = webhooks.due_deliveries(session, now, limit)
    if not due:
        return counts
    unreachable: set[int] = set()
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
        for delivery_id, endpoint_id in due:
            if endpoint_id in unreachable:
                counts["deferred"] += 1
                continue
            claimed = _claim(session_factory, delivery_id, now)
            if claimed is None:
                continue
            outcome = _send(client, claimed, allow_private=settings.webhook_allow_private_targets)
            counts[_record(session_factory, claimed, outcome, now)] += 1
            if outcome.unreachable:
                unreachable.add(endpoint_id)
    return counts


def _claim(session_factory: sessionmaker[Session], delivery_id: int, now: datetime) -> Optional[ClaimedDelivery]:
    with session_factory() as session, session.begin():
        return webhooks.claim_delivery(session, delivery_id, now, now + CLAIM_LEASE)


def _record(session_factory: sessionmaker[Session], delivery: ClaimedDelivery, outcome: Outcome, now: datetime) -> str:
    with session_factory() as session, session.begin():
        if outcome.error is None:
            webhooks.record_delivered(session, delivery.id, outcome.status_code or 0, now)
            return "delivered"
        retry_at = None if outcome.final else next_try_at(delivery.attempts, now)
        webhooks.record_failure(session, delivery.id, outcome.error, outcome.status_code, retry_at)
        log.info("webhook delivery %s failed (try %s): %s", delivery.id, delivery.attempts, outcome.error)
        return "retrying" if retry_at is not None else "dead"


def _send(client: httpx.Client, delivery: ClaimedDelivery, *, allow_private: bool) -> Outcome:
    """The answer's status code and, unless it was a 2xx, what went wrong. The target is checked again first
    (a name may resolve elsewhere now) and the request goes to the address checked."""
    if urlsplit(delivery.url).scheme.lower() not in webhooks.URL_SCHEMES:
        return Outcome(None, "refused: the URL is not http(s)", final=True)
    try:
        target = check_target(delivery.url, allow_private=allow_private)
    except HostUnresolved:
        return Outcome(None, "connection error: the host does not resolve", unreachable=True)
    except TargetNotPublic:
        return Outcome(None, "refused: the target address is not public", final=True)
    except TargetRefused:
        return Outcome(None, "refused: the URL is invalid", final=True)
    url, pinned_headers, extensions = target.request_parts()
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(delivery.secret, body),
               EVENT_ID_HEADER: delivery.event_id, EVENT_TYPE_HEADER: delivery.event_type, **pinned_headers}
    try:
        with client.stream("POST", url, content=body, headers=headers, extensions=extensions) as response:
            status_code = response.status_code  # the answer's body is never read: it could be anything, and huge
    except httpx.TimeoutException:
        return Outcome(None, "timeout", unreachable=True)
    except httpx.InvalidURL:
        return Outcome(None, "refused: the URL is invalid", final=True)
    except httpx.HTTPError as error:
        return Outcome(None, f"connection error: {type(error).__name__}", unreachable=True)
    if 200 <= status_code < 300:
        return Outcome(status_code, None)
    return Outcome(status_code, f"HTTP {status_code}")
