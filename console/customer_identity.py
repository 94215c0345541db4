"""Who the customer is: the one a valid signed token names, else anonymous (with why the token was refused)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import Session

from kizuna.customer_tokens import TokenRefused, verify_token
from kizuna.db import conversations as store
from kizuna.db.models import Conversation


@dataclass(frozen=True)
class Identity:
    customer: Optional[str] = None
    refused: Optional[str] = None  # malformed, bad_signature, expired or unknown_customer

    @property
    def kind(self) -> str:
        return "customer" if self.customer else "anonymous"


def identify(session: Session, token: Optional[str], widget_secret: str) -> Identity:
    if not token:
        return Identity()
    try:
        customer = verify_token(token, widget_secret)
    except TokenRefused as refused:
        return Identity(refused=refused.reason)
    if store.find_customer(session, customer) is None:
        return Identity(refused="unknown_customer")
    return Identity(customer=customer)


def started_signed_in(session: Session, conversation_id: str) -> bool:
    """Its turns then need that customer's valid token, or a stolen conversation secret would carry the
    customer's rights forever."""
    conversation = session.get(Conversation, conversation_id)
    return conversation is not None and conversation.customer_id is not None
