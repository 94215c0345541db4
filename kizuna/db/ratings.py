"""Customer satisfaction: asking for a 1-5 rating when a conversation ends, storing the one rating a
conversation gets, and CSAT per day (the share of ratings of 4 or 5), bot-only against agent-handled.

A rating request is an ordinary outbound message whose payload is {"custom": {"rating": true}}, so it
replays like any message; a rating is accepted only in a conversation that was asked for one."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable, Optional

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizuna.db.conversations import store_outbound
from kizuna.db.models import AuditEntry, Conversation, ConversationRating, Message
from kizuna.stored_text import protect

RATING_QUESTION = "How did we do? Please rate this chat from 1 to 5."
RATING_CUSTOM = {"rating": True}
SCORES = range(1, 6)
SATISFIED_FROM = 4  # CSAT counts ratings of 4 and 5
MAX_COMMENT_CHARS = 1000
AGENT_ACTIONS = ("take", "resolve")  # an agent took the conversation on, or closed it themselves
ERASED_TEXT = "[erased]"


class RatingNotRequested(LookupError):
    """Nobody asked this conversation for a rating."""


class AlreadyRated(ValueError):
    """The conversation has its rating already."""


def is_rating_request(payload: Optional[dict[str, Any]]) -> bool:
    custom = (payload or {}).get("custom")
    return isinstance(custom, dict) and custom.get("rating") is True


def rating_requested(session: Session, conversation_id: str) -> bool:
    """Whether a rating request was sent in this conversation."""
    payloads = session.scalars(select(Message.payload).where(Message.conversation_id == conversation_id,
                                                               Message.direction == "out", Message.payload.is_not(None)))
    return any(is_rating_request(payload) for payload in payloads)


def is_rated(session: Session, conversation_id: str) -> bool:
    return session.scalar(select(ConversationRating.id).where(ConversationRating.conversation_id == conversation_id)) is not None


def should_request_rating(session: Session, conversation_id: str) -> bool:
    """Ask once: not when the conversation is rated or was asked already."""
    return not is_rated(session, conversation_id) and not rating_requested(session, conversation_id)


def request_rating(session: Session, conversation_id: str, sender: str = "system") -> Optional[Message]:
    """Store the rating request (when an agent closes the conversation); None when it is rated or was asked
    already (the earlier request stays answerable, and the rating then counts as agent-handled)."""
    if not should_request_rating(session, conversation_id):
        return None
    return store_outbound(session, conversation_id, sender, RATING_QUESTION, None, {"custom": dict(RATING_CUSTOM)})


def agent_handled(session: Session, conversation_id: str) -> bool:
    """Whether an agent ever took the conversation on (or resolved it), as the audit log says."""
    found = select(AuditEntry.id).where(AuditEntry.conversation_id == conversation_id, AuditEntry.action.in_(AGENT_ACTIONS))
    return session.scalar(found.limit(1)) is not None


def record_rating(session: Session, conversation_id: str, score: int, comment: Optional[str] = None,
                  now: Optional[datetime] = None) -> ConversationRating:
    """The conversation's one rating, its comment masked. Raises RatingNotRequested or AlreadyRated
    (also when another rating is stored at the same moment); nothing is written then."""
    if type(score) is not int or score not in SCORES:
        raise ValueError(f"a rating is a whole number from 1 to 5, not {score!r}")
    if comment is not None and len(comment) > MAX_COMMENT_CHARS:
        raise ValueError(f"a comment has at most {MAX_COMMENT_CHARS} characters")
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or not rating_requested(session, conversation_id):
        raise RatingNotRequested(conversation_id)
    if is_rated(session, conversation_id):
        raise AlreadyRated(conversation_id)
    stored = protect(comment) if comment else None
    rating = ConversationRating(
        conversation_id=conversation_id, customer_id=conversation.customer_id, score=score,
        comment=stored.text if stored else None, comment_original_encrypted=stored.original_encrypted if stored else None,
        handled_by="agent" if agent_handled(session, conversation_id) else "bot", rated_at=now or datetime.now(timezone.utc))
    try:
        with session.begin_nested():
            session.add(rating)
    except IntegrityError:
        raise AlreadyRated(conversation_id) from None
    return rating


def erase_rating_comments(session: Session, customer_id: int, conversation_ids: list[str]) -> int:
    """The customer's comments become "[erased]" (the scores stay: they hold nothing personal)."""
    ratings = update(ConversationRating).where(
        ConversationRating.comment.is_not(None),
        (ConversationRating.customer_id == customer_id) | ConversationRating.conversation_id.in_(conversation_ids))
    return session.execute(ratings.values(comment=ERASED_TEXT, comment_original_encrypted=None)).rowcount


def csat_by_day(session: Session, days: int, today: Optional[date] = None) -> dict[str, Any]:
    """Per day of the last `days` (UTC) and over the whole period: ratings, satisfied (4-5), CSAT
    (their share, None without ratings) and the average score, in all and split bot-only / agent-handled."""
    first = (today or datetime.now(timezone.utc).date()) - timedelta(days=days - 1)
    since = datetime.combine(first, time.min, tzinfo=timezone.utc)
    scores: dict[tuple[date, str], list[int]] = defaultdict(list)
    for rated_at, handled_by, score in session.execute(
            select(ConversationRating.rated_at, ConversationRating.handled_by, ConversationRating.score)
            .where(ConversationRating.rated_at >= since)):
        scores[(_day(rated_at), handled_by)].append(score)
    rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        bot, agent = scores[(day, "bot")], scores[(day, "agent")]
        rows.append({"day": day.isoformat(), **csat_of(bot + agent), "bot": csat_of(bot), "agent": csat_of(agent)})
    by_handler = {who: [s for (_, handled_by), found in scores.items() if handled_by == who for s in found] for who in ("bot", "agent")}
    totals = {"all": csat_of(by_handler["bot"] + by_handler["agent"]), "bot": csat_of(by_handler["bot"]),
              "agent": csat_of(by_handler["agent"])}
    return {"days": days, "by_day": rows, "totals": totals}


def csat_of(scores: Iterable[int]) -> dict[str, Any]:
    scores = list(scores)
    satisfied = sum(1 for s in scores if s >= SATISFIED_FROM)
    return {"ratings": len(scores), "satisfied": satisfied,
            "csat": round(satisfied / len(scores), 4) if scores else None,
            "average": round(sum(scores) / len(scores), 2) if scores else None}


def _day(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).date()
