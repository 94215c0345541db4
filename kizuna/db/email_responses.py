"""What a mailed customer did with the e-mail's links: opened it (the pixel), clicked through, unsubscribed.
Opens and clicks are recorded once per contact (the first), so a mail client fetching the pixel again or
a link scanner cannot inflate them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from kizuna.db.models import CampaignContact, Customer, OutreachEvent
from kizuna.db.outbound_emails import cancel_queued_for_customer


def record_open(session: Session, contact_id: int, now: datetime) -> bool:
    """False when there is no such contact."""
    contact = session.get(CampaignContact, contact_id)
    if contact is None:
        return False
    if contact.opened_at is None:
        contact.opened_at = now
        session.add(OutreachEvent(contact_id=contact.id, kind="open", at=now))
    return True


def record_click(session: Session, contact_id: int, now: datetime) -> bool:
    """False when there is no such contact. A click also proves the e-mail was opened."""
    contact = session.get(CampaignContact, contact_id)
    if contact is None:
        return False
    if contact.opened_at is None:
        contact.opened_at = now
    if contact.clicked_at is None:
        contact.clicked_at = now
        session.add(OutreachEvent(contact_id=contact.id, kind="click", at=now))
    return True


def unsubscribe(session: Session, customer_id: int, contact_id: int, now: datetime) -> bool:
    """Honoured at once: the customer is unsubscribed (the first moment is kept) and none of their e-mail that
    has not gone out yet will. False when there is no such customer."""
    customer = session.get(Customer, customer_id)
    if customer is None:
        return False
    if customer.unsubscribed_at is None:
        customer.unsubscribed_at = now
        contact = session.get(CampaignContact, contact_id)
        if contact is not None and contact.customer_id == customer.id:
            session.add(OutreachEvent(contact_id=contact.id, kind="unsubscribe", at=now))
    cancel_queued_for_customer(session, customer.id, "customer unsubscribed")
    return True
