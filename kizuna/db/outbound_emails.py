"""Campaign e-mail in the database: the delivery worker's queue (claimed row by row, so two workers never
send one e-mail twice; the e-mail of a campaign that is not active, e.g. paused, waits until it is again), its
outcome mirrored on the campaign contact, parked e-mail for the console, and what an erasure or an unsubscribe
does to a customer's e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Optional

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from kizuna.db.marketing_consent import consent_problem
from kizuna.db.models import Campaign, CampaignContact, Customer, OutboundEmail
from kizuna.moments import as_utc

ERASED_TEXT = "[erased]"


class RetryRefused(ValueError):
    """A parked e-mail that must not be sent again: its code expired, or the customer may not be mailed now."""


@dataclass(frozen=True)
class EmailToSend:
    """What the mailer needs, read inside the claim's transaction and used after it ended."""

    id: int
    to_address: str
    subject: str
    text_body: str
    html_body: str
    headers: dict[str, str]
    message_id: Optional[str]
    attempts: int  # including this one


def due_email_ids(session: Session, now: datetime, limit: int) -> list[int]:
    return list(session.scalars(select(OutboundEmail.id)
                                .where(OutboundEmail.status == "queued", OutboundEmail.next_attempt_at <= now,
                                       _campaign_active())
                                .order_by(OutboundEmail.next_attempt_at, OutboundEmail.id).limit(limit)))


def hold_due(session: Session, now: datetime, until: datetime) -> int:
    """Move the queued e-mail due at `now` to `until` (the end of the quiet hours), using no try; how many."""
    held = session.execute(update(OutboundEmail)
                           .where(OutboundEmail.status == "queued", OutboundEmail.next_attempt_at <= now)
                           .values(next_attempt_at=until).execution_options(synchronize_session=False))
    return held.rowcount


def claim_email(session: Session, email_id: int, now: datetime, lease: timedelta) -> bool:
    """Take the e-mail for one try: counts the try and hides the row from other workers for the lease (a worker
    that dies mid-send leaves it due again afterwards). Only one of several concurrent claims succeeds."""
    claimed = session.execute(update(OutboundEmail)
                              .where(OutboundEmail.id == email_id, OutboundEmail.status == "queued",
                                     OutboundEmail.next_attempt_at <= now, _campaign_active())
                              .values(attempts=OutboundEmail.attempts + 1, next_attempt_at=now + lease)
                              .execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def email_to_send(session: Session, email_id: int, today: date) -> tuple[Optional[EmailToSend], Optional[str]]:
    """The claimed e-mail, or why it must not go out (the customer's consent and the code's last day, `today`
    being the shop's day, checked right before sending)."""
    email = session.get(OutboundEmail, email_id)
    problem = _sending_problem(session, email, today)
    if problem is not None:
        return None, problem
    return EmailToSend(id=email.id, to_address=email.to_address, subject=email.subject, text_body=email.text_body,
                       html_body=email.html_body, headers=dict(email.headers or {}), message_id=email.message_id,
                       attempts=email.attempts), None


def mark_sent(session: Session, email_id: int, now: datetime) -> None:
    email = session.get(OutboundEmail, email_id)
    email.status, email.sent_at, email.last_error = "sent", now, None
    _mirror_on_contact(session, email, "sent", sent_at=now)


def mark_failed(session: Session, email_id: int, error: str, retry_at: Optional[datetime]) -> None:
    """A failed try: queued again for `retry_at`, or parked (retry_at None) until someone retries it."""
    email = session.get(OutboundEmail, email_id)
    if email.status != "queued":  # cancelled while it was being tried (an unsubscribe, an erasure)
        return
    email.last_error = error[:1000]
    if retry_at is None:
        email.status = "parked"
        _mirror_on_contact(session, email, "parked")
    else:
        email.next_attempt_at = retry_at


def cancel_email(session: Session, email_id: int, reason: str) -> None:
    email = session.get(OutboundEmail, email_id)
    email.status, email.last_error = "cancelled", reason
    _mirror_on_contact(session, email, "cancelled")


def cancel_queued_for_customer(session: Session, customer_id: int, reason: str) -> int:
    """Cancel every e-mail of the customer not yet sent (queued or parked); their contacts say cancelled."""
    pending = (OutboundEmail.customer_id == customer_id, OutboundEmail.status.in_(("queued", "parked")))
    contact_ids = list(session.scalars(select(OutboundEmail.contact_id).where(*pending, OutboundEmail.contact_id.is_not(None))))
    cancelled = session.execute(update(OutboundEmail).where(*pending).values(status="cancelled", last_error=reason)
                                .execution_options(synchronize_session=False)).rowcount
    if contact_ids:
        session.execute(update(CampaignContact).where(CampaignContact.id.in_(contact_ids))
                        .values(status="cancelled").execution_options(synchronize_session=False))
    return cancelled


def erase_customer_emails(session: Session, customer_id: int) -> int:
    """For an erasure: pending e-mail cancelled, and every e-mail of the customer loses its address and content."""
    cancel_queued_for_customer(session, customer_id, "customer erased")
    blanked = update(OutboundEmail).where(OutboundEmail.customer_id == customer_id).values(
        to_address=ERASED_TEXT, subject=ERASED_TEXT, text_body=ERASED_TEXT, html_body=ERASED_TEXT, headers={},
        last_error=None)
    return session.execute(blanked.execution_options(synchronize_session=False)).rowcount


def parked_emails(session: Session, limit: int = 100) -> list[dict[str, Any]]:
    """Parked e-mail, newest first, for the console (admins only)."""
    rows = session.execute(
        select(OutboundEmail, Customer.external_id, Campaign.name)
        .join(Customer, Customer.id == OutboundEmail.customer_id)
        .outerjoin(CampaignContact, CampaignContact.id == OutboundEmail.contact_id)
        .outerjoin(Campaign, Campaign.id == CampaignContact.campaign_id)
        .where(OutboundEmail.status == "parked").order_by(OutboundEmail.id.desc()).limit(limit))
    return [{"id": email.id, "customer": external_id, "campaign": campaign, "to_address": email.to_address,
             "subject": email.subject, "attempts": email.attempts, "last_error": email.last_error,
             "created_at": email.created_at, "last_attempt_due_at": email.next_attempt_at}
            for email, external_id, campaign in rows]


def retry_parked(session: Session, email_id: int, now: datetime, today: Optional[date] = None) -> bool:
    """Queue a parked e-mail again with a fresh set of tries; False if there is no such parked e-mail. RetryRefused
    when it could not go out anyway (its code expired on or before `today`, the shop's day, by default the UTC
    day of `now`; the customer may not be mailed). In the quiet hours the worker holds it until their end."""
    email = session.get(OutboundEmail, email_id)
    if email is None or email.status != "parked":
        return False
    problem = _sending_problem(session, email, today or as_utc(now).date())
    if problem is not None:
        raise RetryRefused(problem)
    email.status, email.attempts, email.next_attempt_at = "queued", 0, as_utc(now)
    _mirror_on_contact(session, email, "queued")
    return True


def email_counts(session: Session) -> dict[str, int]:
    """E-mail by status, e.g. {"queued": 3, "sent": 120, "parked": 1, "cancelled": 0}."""
    counts = {status: 0 for status in ("queued", "sent", "parked", "cancelled")}
    for status, count in session.execute(select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)):
        counts[status] = count
    return counts


def _campaign_active():
    """The e-mail has no campaign or an active one."""
    active = (select(CampaignContact.id).join(Campaign, Campaign.id == CampaignContact.campaign_id)
              .where(CampaignContact.id == OutboundEmail.contact_id, Campaign.status == "active"))
    return or_(OutboundEmail.contact_id.is_(None), active.exists())


def _sending_problem(session: Session, email: OutboundEmail, today: date) -> Optional[str]:
    """Why the e-mail must not go out now: the customer's consent, then its code's last day."""
    problem = consent_problem(session.get(Customer, email.customer_id))
    if problem is not None or email.contact_id is None:
        return problem
    contact = session.get(CampaignContact, email.contact_id)
    if contact is not None and contact.valid_until is not None and contact.valid_until < today:
        return f"the code {contact.code} expired on {contact.valid_until.isoformat()}"
    return None


def _mirror_on_contact(session: Session, email: OutboundEmail, status: str, *, sent_at: Optional[datetime] = None) -> None:
    if email.contact_id is None:
        return
    contact = session.get(CampaignContact, email.contact_id)
    if contact is None:
        return
    contact.status = status
    if sent_at is not None:
        contact.sent_at = sent_at
