"""The trainers' inbox: customer turns the bot was unsure about, fell back on, or an agent flagged;
their confirmed or corrected intents; and corrected sentiment labels."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from kizuna.db.models import IntentReview, Message, SentimentCorrection, TurnAnalysis

FALLBACK_INTENT = "nlu_fallback"
REVIEWED = ("confirmed", "relabelled")
SENTIMENT_LABELS = ("negative", "neutral", "positive")
INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
TEST_SHARE = 0.2  # of reviewed messages, kept out of training to judge candidate models


class ReviewError(ValueError):
    pass


@dataclass(frozen=True)
class ReviewedExample:
    text: str
    intent: str
    split: str
    origin: str


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def split_for(text: str) -> str:
    """A stable train/test assignment by the message's text, so repeats of a message never straddle both."""
    bucket = int(hashlib.sha256(normalised(text).encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "test" if bucket < TEST_SHARE else "train"


def collect_candidates(session: Session, below_confidence: float) -> int:
    """Queue every turn that fell back or scored below the threshold and is not in the inbox yet."""
    unsure = or_(TurnAnalysis.intent == FALLBACK_INTENT, TurnAnalysis.confidence < below_confidence)
    queued = exists().where(IntentReview.turn_analysis_id == TurnAnalysis.id)
    rows = session.execute(
        select(TurnAnalysis, Message).join(Message, Message.id == TurnAnalysis.message_id)
        .where(unsure, ~queued, Message.text != "", ~Message.text.startswith("/"))
    ).all()
    # A button the customer pressed is stored as its title; the choice was the bot's own, nothing to review.
    turns = [(turn, message) for turn, message in rows if not (message.payload or {}).get("button_payload")]
    for turn, message in turns:
        reason = "fallback" if turn.intent == FALLBACK_INTENT else "low_confidence"
        session.add(IntentReview(turn_analysis_id=turn.id, reason=reason, status="pending", split=split_for(message.text)))
    session.flush()
    return len(turns)


def flag_turn(session: Session, turn_analysis_id: int, username: str) -> IntentReview:
    """An agent thinks the bot misunderstood this turn: into the inbox (again, if it was reviewed)."""
    turn = _turn(session, turn_analysis_id)
    review = session.scalar(select(IntentReview).where(IntentReview.turn_analysis_id == turn.id))
    if review is None:
        review = IntentReview(turn_analysis_id=turn.id, split=split_for(turn.message_text))
        session.add(review)
    review.reason, review.status, review.flagged_by = "flagged", "pending", username
    review.intent = review.reviewed_by = review.reviewed_at = None
    try:
        session.flush()
    except IntegrityError:
        raise ReviewError("this turn was flagged at the same moment by someone else; reload")
    return review


def reviews_with_turns(status: str = "pending", reason: Optional[str] = None) -> Select:
    """(review, turn) rows with the turn's message loaded; `status` "all" or one status, `reason` optional."""
    query = (select(IntentReview, TurnAnalysis).join(TurnAnalysis, TurnAnalysis.id == IntentReview.turn_analysis_id)
             .options(joinedload(TurnAnalysis.message)))
    if status != "all":
        query = query.where(IntentReview.status == status)
    return query.where(IntentReview.reason == reason) if reason else query


def relabelled_intents(session: Session) -> list[str]:
    """The intents trainers have relabelled messages to (they may not be in the domain yet)."""
    chosen = select(IntentReview.intent).where(IntentReview.status == "relabelled", IntentReview.intent.is_not(None)).distinct()
    return list(session.scalars(chosen))


def review_with_turn(session: Session, review_id: int) -> Optional[tuple[IntentReview, TurnAnalysis]]:
    """The review `review_id` with its turn; None for no such review."""
    row = session.execute(select(IntentReview, TurnAnalysis).join(TurnAnalysis, TurnAnalysis.id == IntentReview.turn_analysis_id)
                          .where(IntentReview.id == review_id)).first()
    return None if row is None else (row[0], row[1])


def inbox(session: Session, status: str = "pending", reason: Optional[str] = None, limit: int = 200) -> list[dict[str, Any]]:
    """Reviews with their turn, lowest confidence first for pending ones, newest first otherwise."""
    query = reviews_with_turns(status, reason)
    order = (TurnAnalysis.confidence.asc().nulls_first(), IntentReview.id) if status == "pending" else (IntentReview.id.desc(),)
    return [_item(review, turn) for review, turn in session.execute(query.order_by(*order).limit(limit))]


def apply_review(session: Session, review_ids: Iterable[int], action: str, username: str, intent: Optional[str] = None) -> int:
    """Confirm the bot's intent, relabel with `intent` (existing or new), or dismiss; returns how many changed."""
    if action not in ("confirm", "relabel", "dismiss"):
        raise ReviewError(f"unknown action {action!r}: confirm, relabel or dismiss")
    if action == "relabel" and not (intent and INTENT_NAME.match(intent)):
        raise ReviewError("an intent name is lower-case letters, digits and _ (2 to 63 characters), starting with a letter")
    reviews = session.execute(
        select(IntentReview, TurnAnalysis).join(TurnAnalysis, TurnAnalysis.id == IntentReview.turn_analysis_id)
        .where(IntentReview.id.in_(list(review_ids)))
    ).all()
    now = datetime.now(timezone.utc)
    for review, turn in reviews:
        if action == "confirm" and turn.intent in (None, "", FALLBACK_INTENT):
            raise ReviewError(f"message {review.id} fell back, so there is nothing to confirm: relabel it instead")
        review.status = {"confirm": "confirmed", "relabel": "relabelled", "dismiss": "dismissed"}[action]
        review.intent = turn.intent if action == "confirm" else intent if action == "relabel" else None
        review.reviewed_by, review.reviewed_at = username, now
    return len(reviews)


def reviewed_examples(session: Session) -> list[ReviewedExample]:
    """Confirmed and relabelled messages, oldest review first, with where each came from."""
    rows = session.execute(
        select(IntentReview, TurnAnalysis).join(TurnAnalysis, TurnAnalysis.id == IntentReview.turn_analysis_id)
        .options(joinedload(TurnAnalysis.message))
        .where(IntentReview.status.in_(REVIEWED)).order_by(IntentReview.reviewed_at, IntentReview.id)
    ).all()
    return [ReviewedExample(turn.message_text, review.intent or "", review.split, _origin(review, turn)) for review, turn in rows]


def correct_sentiment(session: Session, turn_analysis_id: int, label: str, username: str) -> SentimentCorrection:
    """Record the right sentiment label of a turn (the latest correction wins)."""
    if label not in SENTIMENT_LABELS:
        raise ReviewError(f"sentiment label must be one of {', '.join(SENTIMENT_LABELS)}")
    turn = _turn(session, turn_analysis_id)
    correction = session.scalar(select(SentimentCorrection).where(SentimentCorrection.turn_analysis_id == turn.id))
    if correction is None:
        correction = SentimentCorrection(turn_analysis_id=turn.id, model_label=turn.sentiment_label, split=split_for(turn.message_text))
        session.add(correction)
    correction.label, correction.corrected_by, correction.corrected_at = label, username, datetime.now(timezone.utc)
    session.flush()
    return correction


def sentiment_corrections(session: Session) -> list[tuple[str, str, str]]:
    """(text, label, split) of every corrected turn, the text its message's."""
    rows = session.execute(
        select(Message.text, SentimentCorrection.label, SentimentCorrection.split)
        .join(TurnAnalysis, TurnAnalysis.id == SentimentCorrection.turn_analysis_id)
        .join(Message, Message.id == TurnAnalysis.message_id).order_by(SentimentCorrection.id)
    ).all()
    return [(text, label, split) for text, label, split in rows]


def _turn(session: Session, turn_analysis_id: int) -> TurnAnalysis:
    turn = session.get(TurnAnalysis, turn_analysis_id)
    if turn is None:
        raise LookupError(f"no turn {turn_analysis_id}")
    return turn


def _origin(review: IntentReview, turn: TurnAnalysis) -> str:
    when = review.reviewed_at.date().isoformat() if review.reviewed_at else "?"
    return f"conversation {turn.conversation_id}, turn {turn.id}, {review.reason}, reviewed by {review.reviewed_by} on {when}"


def _item(review: IntentReview, turn: TurnAnalysis) -> dict[str, Any]:
    return {
        "id": review.id, "turn_id": turn.id, "conversation_id": turn.conversation_id, "text": turn.message_text,
        "predicted_intent": turn.intent, "confidence": turn.confidence, "guesses": list(turn.intent_ranking or []),
        "reason": review.reason, "status": review.status, "intent": review.intent, "split": review.split,
        "flagged_by": review.flagged_by, "reviewed_by": review.reviewed_by, "reviewed_at": review.reviewed_at,
        "message_at": turn.message_at or turn.created_at,
    }
