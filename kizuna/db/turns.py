"""Recording what the assistant understood of each customer turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizuna.conversation_status import ConversationStatus
from kizuna.db.models import Conversation, Message, TurnAnalysis
from kizuna.stored_text import masked_entities, protect


@dataclass
class Turn:
    conversation_id: str
    turn_key: str
    text: str
    intent: Optional[str]
    confidence: Optional[float]
    entities: list[dict[str, Any]] = field(default_factory=list)
    message_id: Optional[int] = None
    message_at: Optional[datetime] = None
    intent_ranking: list[dict[str, Any]] = field(default_factory=list)


def record_turn(session: Session, turn: Turn) -> tuple[TurnAnalysis, bool]:
    """Store a turn once: (row, True) the first time, (stored row, False) on a repeat. The text is the
    customer's message's (stored once, personal data masked); a turn whose message was not stored (Rasa
    reached without the console) gets its message stored with it."""
    existing = find_turn(session, turn.conversation_id, turn.turn_key)
    if existing is not None:
        return existing, False
    conversation = conversation_for(session, turn.conversation_id)
    # Read before the savepoint: on SQLite a read inside it would hold a snapshot that a write by another
    # process (the console storing a reply) makes stale, and the insert would then fail at once ("locked").
    known = _known_message(session, turn)
    try:
        with session.begin_nested():
            message = known or _store_message(session, turn)
            row = TurnAnalysis(
                conversation_id=turn.conversation_id,
                turn_key=turn.turn_key,
                message=message,
                customer_id=conversation.customer_id,
                intent=turn.intent,
                confidence=turn.confidence,
                entities=masked_entities(turn.entities),
                intent_ranking=turn.intent_ranking,
                message_at=turn.message_at,
            )
            session.add(row)
    except IntegrityError:
        return find_turn(session, turn.conversation_id, turn.turn_key), False  # type: ignore[return-value]
    return row, True


def add_analysed_message(session: Session, conversation_id: str, turn_key: str, text: str,
                         at: Optional[datetime] = None, **analysis: Any) -> TurnAnalysis:
    """A customer message (`text` stored masked, like every customer message) and its analysis, for seeding
    a database; the conversation is created if missing."""
    conversation_for(session, conversation_id)
    stored_text = protect(text)
    message = Message(conversation_id=conversation_id, direction="in", sender="customer", text=stored_text.text,
                      original_encrypted=stored_text.original_encrypted, status="stored", **({"created_at": at} if at else {}))
    row = TurnAnalysis(conversation_id=conversation_id, turn_key=turn_key, message=message, message_at=at, **analysis)
    session.add(row)
    return row


def conversation_for(session: Session, conversation_id: str) -> Conversation:
    """The conversation of a turn; created when Rasa was reached without the console."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = Conversation(id=conversation_id, status=ConversationStatus.BOT)
        try:
            with session.begin_nested():
                session.add(conversation)
        except IntegrityError:
            conversation = session.get(Conversation, conversation_id)
    return conversation  # type: ignore[return-value]


def unanalysed_messages(session: Session, statuses: tuple[str, ...], limit: int) -> list[Message]:
    """Customer messages with one of `statuses` and no turn analysis yet, oldest first."""
    analysed = exists().where(TurnAnalysis.message_id == Message.id)
    return list(session.scalars(
        select(Message).join(Conversation, Conversation.id == Message.conversation_id)
        .where(Message.direction == "in", Message.status.in_(statuses), ~analysed)
        .order_by(Message.id).limit(limit)
    ).all())


def turns_of_messages(session: Session, message_ids: list[int]) -> list[TurnAnalysis]:
    """The turn analyses of these messages (those that have one)."""
    return list(session.scalars(select(TurnAnalysis).where(TurnAnalysis.message_id.in_(message_ids))))


def find_turn(session: Session, conversation_id: str, turn_key: str) -> Optional[TurnAnalysis]:
    return session.scalar(
        select(TurnAnalysis).where(
            TurnAnalysis.conversation_id == conversation_id, TurnAnalysis.turn_key == turn_key
        )
    )


def _known_message(session: Session, turn: Turn) -> Optional[Message]:
    if turn.message_id is None:
        return None
    message = session.get(Message, turn.message_id)
    return message if message and message.conversation_id == turn.conversation_id else None


def _store_message(session: Session, turn: Turn) -> Message:
    stored_text = protect(turn.text)
    message = Message(conversation_id=turn.conversation_id, direction="in", sender="customer", text=stored_text.text,
                      original_encrypted=stored_text.original_encrypted, status="stored",
                      **({"created_at": turn.message_at} if turn.message_at else {}))
    session.add(message)
    return message
