"""Recording what the assistant understood of each customer turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

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
    """Store a turn once, personal data masked: (row, True) the first time, (stored row, False) on a repeat."""
    existing = find_turn(session, turn.conversation_id, turn.turn_key)
    if existing is not None:
        return existing, False
    conversation = conversation_for(session, turn.conversation_id)
    stored_text = protect(turn.text)
    row = TurnAnalysis(
        conversation_id=turn.conversation_id,
        turn_key=turn.turn_key,
        message_id=_known_message_id(session, turn),
        customer_id=conversation.customer_id,
        text=stored_text.text,
        original_encrypted=stored_text.original_encrypted,
        intent=turn.intent,
        confidence=turn.confidence,
        entities=masked_entities(turn.entities),
        intent_ranking=turn.intent_ranking,
        message_at=turn.message_at,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return find_turn(session, turn.conversation_id, turn.turn_key), False  # type: ignore[return-value]
    return row, True


def conversation_for(session: Session, conversation_id: str) -> Conversation:
    """The conversation of a turn; created when Rasa was reached without the console."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        conversation = Conversation(id=conversation_id, status="bot")
        try:
            with session.begin_nested():
                session.add(conversation)
        except IntegrityError:
            conversation = session.get(Conversation, conversation_id)
    return conversation  # type: ignore[return-value]


def find_turn(session: Session, conversation_id: str, turn_key: str) -> Optional[TurnAnalysis]:
    return session.scalar(
        select(TurnAnalysis).where(
            TurnAnalysis.conversation_id == conversation_id, TurnAnalysis.turn_key == turn_key
        )
    )


def _known_message_id(session: Session, turn: Turn) -> Optional[int]:
    if turn.message_id is None:
        return None
    message = session.get(Message, turn.message_id)
    return message.id if message and message.conversation_id == turn.conversation_id else None
