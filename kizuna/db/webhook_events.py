"""The webhook events of conversations and chat offers, queued in the transaction of what they report.
Their data names the customer by external_id only: no name, e-mail or message text leaves the shop this way."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy.orm import Session

from kizuna.db.models import Conversation, Customer, IssuedOffer
from kizuna.db.webhooks import enqueue_event


def conversation_escalated(session: Session, conversation: Conversation, now: datetime) -> Optional[str]:
    return enqueue_event(session, "conversation.escalated", {
        "conversation_id": conversation.id, "customer_external_id": _external_id(session, conversation.customer_id),
        "priority": conversation.escalation_priority, "reasons": list(conversation.escalation_reasons or []),
    }, now)


def conversation_resolved(session: Session, conversation: Conversation, now: datetime) -> Optional[str]:
    return enqueue_event(session, "conversation.resolved", {
        "conversation_id": conversation.id, "customer_external_id": _external_id(session, conversation.customer_id),
        "outcome": conversation.outcome,
    }, now)


def chat_offer_issued(session: Session, offer: IssuedOffer, now: datetime) -> Optional[str]:
    """An offer the customer accepted in the chat: its code now exists, so the shop can honour it."""
    return enqueue_event(session, "offer.issued", {
        "source": "chat", "conversation_id": offer.conversation_id,
        "customer_external_id": _external_id(session, offer.customer_id),
        "offer_id": offer.offer_id, "kind": offer.kind, "code": offer.code,
        "valid_until": offer.valid_until.isoformat() if offer.valid_until else None,
    }, now)


def _external_id(session: Session, customer_id: Optional[int]) -> Optional[str]:
    customer = session.get(Customer, customer_id) if customer_id is not None else None
    return customer.external_id if customer is not None else None
