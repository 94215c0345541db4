"""Erasing a customer's personal data on request (`kizuna customers erase ID`).

The customer row stays (orders and the retention figures refer to it) but loses name and e-mail;
every message and staff note of their conversations (and the message of any turn of theirs) is replaced
by "[erased]", with the encrypted originals; their turn analyses, which read their text from those
messages, lose what the NLU read from it (intent, entities); inbox
reviews and sentiment corrections of those turns are deleted, so they never reach training data;
follow-ups by e-mail (the encrypted contact address they left out of the team's hours) are deleted,
those of their conversations and any carrying their e-mail address; the comments of their ratings
become "[erased]" (the scores stay); their campaign e-mail not sent yet is cancelled and every one of
their e-mails loses its address and content;
Rasa's tracker store loses the conversations' events. The erasure itself is recorded, without
personal data. (`kizuna customers erase` then vacuums SQLite databases and truncates their write-ahead
logs, so the erased bytes leave the disk too.)
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from kizuna.follow_ups import erase_follow_ups
from kizuna.db.outbound_emails import erase_customer_emails
from kizuna.db.ratings import erase_rating_comments

from kizuna.db.models import (
    Conversation,
    ConversationNote,
    Customer,
    Erasure,
    IntentReview,
    Message,
    SentimentCorrection,
    TurnAnalysis,
)

ERASED_TEXT = "[erased]"
ERASED_NAME = "erased customer"
DeleteTrackerEvents = Callable[[list[str]], int]


class UnknownCustomerError(LookupError):
    pass


def erase_customer(session: Session, external_id: str, erased_by: str, delete_tracker_events: DeleteTrackerEvents) -> dict:
    """Erase within the caller's transaction; the tracker store goes last, so a failure there undoes the rest."""
    customer = session.scalar(select(Customer).where(Customer.external_id == external_id))
    if customer is None:
        raise UnknownCustomerError(f"no customer {external_id!r}")
    conversation_ids = list(session.scalars(select(Conversation.id).where(Conversation.customer_id == customer.id)))
    turn_ids = list(session.scalars(select(TurnAnalysis.id).where(
        or_(TurnAnalysis.conversation_id.in_(conversation_ids), TurnAnalysis.customer_id == customer.id))))
    turn_message_ids = list(session.scalars(select(TurnAnalysis.message_id).where(
        TurnAnalysis.id.in_(turn_ids), TurnAnalysis.message_id.is_not(None))))
    counts = {
        "conversations": len(conversation_ids),
        "messages": _erase_messages(session, conversation_ids, turn_message_ids),
        "turn_analyses": _erase_turns(session, turn_ids),
        "notes": _erase_notes(session, conversation_ids),
        "intent_reviews": _delete_for_turns(session, IntentReview, turn_ids),
        "sentiment_corrections": _delete_for_turns(session, SentimentCorrection, turn_ids),
    }
    follow_ups = erase_follow_ups(session, customer.id, conversation_ids, customer.email)
    if follow_ups:
        counts["follow_ups"] = follow_ups
    rating_comments = erase_rating_comments(session, customer.id, conversation_ids)
    if rating_comments:
        counts["rating_comments"] = rating_comments
    emails = erase_customer_emails(session, customer.id)
    if emails:
        counts["outbound_emails"] = emails
    customer.name, customer.email, customer.erased_at = ERASED_NAME, None, datetime.now(timezone.utc)
    session.flush()
    counts["tracker_events"] = delete_tracker_events(conversation_ids)
    session.add(Erasure(customer_external_id=external_id, erased_by=erased_by[:80], counts=counts))
    session.flush()
    return counts


def _erase_messages(session: Session, conversation_ids: list[str], turn_message_ids: list[int]) -> int:
    """The messages of their conversations and those of their turns elsewhere: a turn's text is its message's."""
    erased = update(Message).where(or_(Message.conversation_id.in_(conversation_ids), Message.id.in_(turn_message_ids)))
    return session.execute(erased.values(text=ERASED_TEXT, original_encrypted=None)).rowcount


def _erase_turns(session: Session, turn_ids: list[int]) -> int:
    """What the NLU read from the text (the text itself is the message's); without intent and confidence the turn
    never returns to the inbox."""
    erased = update(TurnAnalysis).where(TurnAnalysis.id.in_(turn_ids))
    values = dict(entities=[], intent=None, confidence=None, intent_ranking=None)
    return session.execute(erased.values(**values)).rowcount


def _erase_notes(session: Session, conversation_ids: list[str]) -> int:
    erased = update(ConversationNote).where(ConversationNote.conversation_id.in_(conversation_ids))
    return session.execute(erased.values(text=ERASED_TEXT)).rowcount


def _delete_for_turns(session: Session, table: type[IntentReview] | type[SentimentCorrection], turn_ids: list[int]) -> int:
    return session.execute(delete(table).where(table.turn_analysis_id.in_(turn_ids))).rowcount
