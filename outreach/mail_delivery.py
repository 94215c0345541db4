"""Sending the campaign e-mail that is due: each one claimed on its own (two workers never send the same
e-mail), the customer's consent and the code's last day checked again right before it goes (a paused
campaign's e-mail is not due until the campaign is active again), and a failed try retried after 1 min,
5 min, 30 min, 2 h and 6 h, then parked until someone retries it from the console. A permanent refusal
(a 5xx answer to the recipient or the message) parks it at once. Nothing leaves in the quiet hours
(policy quiet_hours_*), whatever made the e-mail due then: a retry, a console retry, an outage's backlog."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import NamedTuple, Optional

from sqlalchemy.orm import Session, sessionmaker

from kizuna.db import outbound_emails as emails
from kizuna.moments import as_utc
from kizuna.settings import Settings
from outreach.backoff import next_try_at
from outreach.mailer import Mailer, SendFailed, build_message
from retention.policy import RetentionPolicy, load_policy
from retention.quiet_hours import local_day, quiet_until, send_not_before

# How long a claimed e-mail stays hidden from other workers; far longer than a try takes.
CLAIM_LEASE = timedelta(minutes=10)

log = logging.getLogger(__name__)


def deliver_due(session_factory: sessionmaker[Session], settings: Settings, *, now: datetime, limit: int = 100) -> dict[str, int]:
    """Try the e-mail due at `now`; counts of what happened. Without an SMTP host nothing is tried. Once the
    server cannot be reached (or the connection to it fails) the round stops: the rest is deferred to the next
    round without using a try, rather than each waiting out the same failure."""
    counts = {"sent": 0, "retrying": 0, "parked": 0, "cancelled": 0, "deferred": 0, "held": 0}
    if not settings.smtp_host:
        return counts
    now = as_utc(now)
    policy = load_policy(settings.retention_policy_path)
    quiet_end = quiet_until(now, policy)
    if quiet_end is not None:
        with session_factory.begin() as session:
            counts["held"] = emails.hold_due(session, now, quiet_end)
        return counts
    with session_factory() as session:
        due = emails.due_email_ids(session, now, limit)
    with Mailer(settings) as mailer:
        for position, email_id in enumerate(due):
            tried = _deliver_one(session_factory, settings, mailer, email_id, now, policy)
            if tried is None:
                continue
            counts[tried.outcome] += 1
            if tried.server_failed:
                counts["deferred"] += len(due) - position - 1
                break
    return counts


class Tried(NamedTuple):
    outcome: str  # "sent", "retrying", "parked" or "cancelled"
    server_failed: bool = False  # the server, not this e-mail: the round stops


def _deliver_one(session_factory: sessionmaker[Session], settings: Settings, mailer: Mailer, email_id: int,
                 now: datetime, policy: RetentionPolicy) -> Optional[Tried]:
    """What became of the e-mail; None when another worker had claimed it first."""
    with session_factory.begin() as session:
        if not emails.claim_email(session, email_id, now, CLAIM_LEASE):
            return None
        email, problem = emails.email_to_send(session, email_id, local_day(now, policy))
        if email is None:
            emails.cancel_email(session, email_id, problem or "not sendable")
            return Tried("cancelled")
    try:
        mailer.send(build_message(email, settings.mail_from, now))
    except SendFailed as failure:
        next_try = None if failure.permanent else _retry_at(email.attempts, now, policy)
        log.warning("e-mail %s, try %s: %s", email_id, email.attempts, failure)
        with session_factory.begin() as session:
            emails.mark_failed(session, email_id, str(failure), next_try)
        return Tried("retrying" if next_try is not None else "parked", server_failed=failure.server_failed)
    with session_factory.begin() as session:
        emails.mark_sent(session, email_id, now)
    return Tried("sent")


def _retry_at(attempts: int, now: datetime, policy: RetentionPolicy) -> Optional[datetime]:
    """The backoff's next try, moved past the quiet hours when it falls in them; None when there is none."""
    retry_at = next_try_at(attempts, now)
    return send_not_before(retry_at, policy) if retry_at is not None else None
