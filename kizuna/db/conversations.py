"""Storing conversations and their messages, idempotently."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizuna.conversation_status import ConversationStatus
from kizuna.db.models import Conversation, Customer, Message
from kizuna.stored_text import protect


class UnknownCustomer(LookupError):
    pass


class CustomerMismatch(ValueError):
    pass


class UnknownConversation(LookupError):
    """No such conversation, or the caller does not hold its secret (the two look the same)."""


@dataclass
class StoredInbound:
    message: Message
    conversation: Conversation
    duplicate: bool


def find_customer(session: Session, external_id: str) -> Optional[Customer]:
    return session.scalar(select(Customer).where(Customer.external_id == external_id))


def get_or_create_conversation(session: Session, conversation_id: str, customer_external_id: Optional[str]) -> Conversation:
    customer = None
    if customer_external_id is not None:
        customer = find_customer(session, customer_external_id)
        if customer is None:
            raise UnknownCustomer(customer_external_id)
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = Conversation(id=conversation_id, customer_id=customer.id if customer else None, status=ConversationStatus.BOT)
        session.add(conversation)
        session.flush()
    elif customer is not None and conversation.customer_id not in (None, customer.id):
        raise CustomerMismatch(conversation_id)
    elif customer is not None:
        conversation.customer_id = customer.id
    return conversation


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(conversation: Conversation, secret: Optional[str]) -> bool:
    """Conversations stored before secrets existed match no secret."""
    if not conversation.secret_hash or not secret:
        return False
    return hmac.compare_digest(conversation.secret_hash, hash_secret(secret))


def conversation_for(session: Session, conversation_id: str, secret: Optional[str]) -> Optional[Conversation]:
    """The conversation, only for the holder of its secret."""
    conversation = session.get(Conversation, conversation_id)
    return conversation if conversation is not None and secret_matches(conversation, secret) else None


def open_conversation(session: Session, conversation_id: str, secret: Optional[str]) -> Optional[str]:
    """Let the holder of the secret in; without a secret, start the conversation and return its new secret
    (only its hash is stored). Raises UnknownConversation otherwise."""
    if secret or session.get(Conversation, conversation_id) is not None:
        if conversation_for(session, conversation_id, secret) is None:
            raise UnknownConversation(conversation_id)
        return None
    issued = secrets.token_urlsafe(32)
    try:
        with session.begin_nested():
            session.add(Conversation(id=conversation_id, status=ConversationStatus.BOT, secret_hash=hash_secret(issued)))
    except IntegrityError:  # it exists already (perhaps started a moment ago by another request)
        raise UnknownConversation(conversation_id) from None
    return issued


def find_by_client_id(session: Session, conversation_id: str, client_message_id: str) -> Optional[Message]:
    return session.scalar(
        select(Message).where(Message.conversation_id == conversation_id, Message.client_message_id == client_message_id)
    )


def claim_orphaned_turn(session: Session, message_id: int, received_before: datetime) -> bool:
    """Whether this customer message was still waiting for the bot since before `received_before`,
    i.e. the console handling it stopped mid-turn; if so it is now marked as failed, once."""
    claimed = session.execute(
        update(Message)
        .where(Message.id == message_id, Message.status == "received", Message.created_at < received_before)
        .values(status="bot_failed")
    )
    return claimed.rowcount == 1


def store_inbound(
    session: Session, conversation_id: str, text: str, client_message_id: str, customer_external_id: Optional[str],
    payload: Optional[dict[str, Any]] = None,
) -> StoredInbound:
    """Store a customer message once (personal data masked); a resend with the same client id returns the first one."""
    conversation = get_or_create_conversation(session, conversation_id, customer_external_id)
    existing = find_by_client_id(session, conversation_id, client_message_id)
    if existing is not None:
        return StoredInbound(existing, conversation, duplicate=True)
    stored_text = protect(text)
    message = Message(
        conversation_id=conversation_id,
        direction="in",
        sender="customer",
        text=stored_text.text,
        original_encrypted=stored_text.original_encrypted,
        client_message_id=client_message_id,
        payload=payload or None,
        status="received",
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        existing = find_by_client_id(session, conversation_id, client_message_id)
        if existing is None:
            raise
        return StoredInbound(existing, conversation, duplicate=True)
    return StoredInbound(message, conversation, duplicate=False)


def store_outbound(
    session: Session, conversation_id: str, sender: str, text: str, reply_to_id: Optional[int], payload: Optional[dict[str, Any]] = None
) -> Message:
    message = Message(
        conversation_id=conversation_id,
        direction="out",
        sender=sender,
        text=text,
        payload=payload or None,
        reply_to_id=reply_to_id,
        status="sent",
    )
    session.add(message)
    session.flush()
    return message


def offered_buttons(session: Session, conversation_id: str) -> list[dict[str, Any]]:
    """The quick-reply buttons the bot showed since the customer's last message."""
    last_inbound = session.scalar(
        select(func.max(Message.id)).where(Message.conversation_id == conversation_id, Message.direction == "in")
    ) or 0
    since = session.scalars(
        select(Message).where(Message.conversation_id == conversation_id, Message.direction == "out", Message.sender == "bot",
                              Message.id > last_inbound)
    )
    return [button for message in since for button in (message.payload or {}).get("buttons", [])]


def replies_to(session: Session, message_id: int) -> list[Message]:
    return list(session.scalars(select(Message).where(Message.reply_to_id == message_id).order_by(Message.id)))


def earlier_messages(session: Session, conversation_id: str, before_id: int, limit: int) -> list[Message]:
    """Up to `limit` messages of the conversation before message `before_id`, newest first."""
    return list(session.scalars(select(Message).where(Message.conversation_id == conversation_id, Message.id < before_id)
                                .order_by(Message.id.desc()).limit(limit)))


def later_messages(session: Session, conversation_id: str, after_id: int, limit: int) -> list[Message]:
    """Up to `limit` messages of the conversation after message `after_id`, oldest first."""
    return list(session.scalars(select(Message).where(Message.conversation_id == conversation_id, Message.id > after_id)
                                .order_by(Message.id).limit(limit)))


def customer_message_count(session: Session, conversation_id: str) -> int:
    """How many messages the customer sent in the conversation."""
    return session.scalar(select(func.count(Message.id)).where(Message.conversation_id == conversation_id,
                                                               Message.direction == "in")) or 0


def messages_after(session: Session, conversation_id: str, after_id: int = 0) -> list[Message]:
    return list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id > after_id)
            .order_by(Message.id)
        )
    )
