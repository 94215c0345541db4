"""Customer satisfaction: the widget's rating of a conversation (opened by the conversation's secret,
like its messages) and CSAT per day for staff (agents, trainers, admins)."""

from __future__ import annotations

import re
from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field, StrictInt, field_validator
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.csat_chart import csat_svg
from console.customer_turns import UNKNOWN_CONVERSATION
from console.errors import ApiError
from console.schemas import clean_text, encodable
from console.widget_channel import SecretHeader
from kizuna.customer_tokens import TokenRefused, verify_token
from kizuna.db import conversations as store
from kizuna.db import ratings
from kizuna.db.models import Conversation


# Bidirectional embedding, override and isolate controls: in a comment shown inline to staff they could
# reorder the text around it, and no rating needs them.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


class RatingIn(BaseModel):
    score: StrictInt = Field(ge=1, le=5, description="1 (bad) to 5 (great), a whole number.")
    comment: Optional[str] = Field(default=None, description=f"Optional, at most {ratings.MAX_COMMENT_CHARS} characters.")
    customer_token: Optional[str] = Field(default=None, max_length=256,
                                          description="A signed-in customer's token, as with their messages.")

    @field_validator("comment")
    @classmethod
    def _usable_comment(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        cleaned = DIRECTION_CONTROLS.sub("", clean_text(encodable(value)))
        if len(cleaned) > ratings.MAX_COMMENT_CHARS:
            raise ValueError(f"comment is longer than {ratings.MAX_COMMENT_CHARS} characters ({len(cleaned)})")
        return cleaned or None


class RatingOut(BaseModel):
    conversation_id: str
    requested: bool = Field(description="Whether the customer was asked to rate this conversation.")
    rated: bool
    score: Optional[int] = None


router = APIRouter(tags=["satisfaction"])


@router.post("/api/conversations/{conversation_id}/rating", response_model=RatingOut)
async def rate(request: Request, body: RatingIn, sessions: deps.Sessions, settings: deps.AppSettings, hub: deps.Hub,
               rate_limits: deps.RateLimits, conversation_id: deps.ConversationId, secret: SecretHeader = None) -> RatingOut:
    """The customer's one rating of the conversation, after it asked for one: 409 when it did not, or when rated already.
    It counts against the same limits as the customer's messages."""
    rate_limits.check(conversation_id, request.client.host if request.client else "unknown")
    rated = await run_in_threadpool(_record, sessions, settings.effective_widget_secret, conversation_id, secret, body)
    hub.publish(conversation_id, {"type": "rating", "rated": True, "score": rated.score})
    return rated


@router.get("/api/conversations/{conversation_id}/rating", response_model=RatingOut)
async def rating_state(sessions: deps.Sessions, conversation_id: deps.ConversationId, secret: SecretHeader = None) -> RatingOut:
    """Whether the conversation was asked for a rating and is rated (the widget shows the form or the thanks)."""
    return await run_in_threadpool(_state, sessions, conversation_id, secret)


@router.get("/api/analytics/csat", dependencies=[Depends(deps.staff("agent", "trainer", "admin"))])
async def csat(sessions: deps.Sessions, days: int = Query(30, ge=1, le=365)) -> dict[str, Any]:
    """Per day and over the period: ratings, satisfied (4-5), CSAT, average; in all, bot-only and agent-handled."""
    return await run_in_threadpool(_csat, sessions, days)


@router.get("/api/analytics/csat.svg", response_class=Response, dependencies=[Depends(deps.staff("agent", "trainer", "admin"))])
async def csat_chart(sessions: deps.Sessions, days: int = Query(30, ge=1, le=365)) -> Response:
    report = await run_in_threadpool(_csat, sessions, days)
    return Response(await run_in_threadpool(csat_svg, report["by_day"]), media_type="image/svg+xml")


def _record(sessions: sessionmaker[Session], widget_secret: str, conversation_id: str, secret: Optional[str],
            body: RatingIn) -> RatingOut:
    with sessions.begin() as session:
        conversation = _opened(session, conversation_id, secret)
        _check_customer(session, conversation, body.customer_token, widget_secret)
        try:
            rating = ratings.record_rating(session, conversation_id, body.score, body.comment)
        except ratings.RatingNotRequested:
            raise ApiError(409, "rating_not_requested", "this conversation was not asked for a rating")
        except ratings.AlreadyRated:
            raise ApiError(409, "already_rated", "this conversation is rated already")
        return RatingOut(conversation_id=conversation_id, requested=True, rated=True, score=rating.score)


def _state(sessions: sessionmaker[Session], conversation_id: str, secret: Optional[str]) -> RatingOut:
    with sessions() as session:
        _opened(session, conversation_id, secret)
        rated = ratings.is_rated(session, conversation_id)
        return RatingOut(conversation_id=conversation_id, requested=ratings.rating_requested(session, conversation_id), rated=rated)


def _opened(session: Session, conversation_id: str, secret: Optional[str]) -> Conversation:
    """Only with the conversation's secret; otherwise it looks like one that does not exist."""
    conversation = store.conversation_for(session, conversation_id, secret) if secret else None
    if conversation is None:
        raise ApiError(404, "unknown_conversation", UNKNOWN_CONVERSATION)
    return conversation


def _check_customer(session: Session, conversation: Conversation, token: Optional[str], widget_secret: str) -> None:
    """A signed-in customer's conversation needs their valid token too, as their messages do."""
    if conversation.customer_id is None:
        return
    try:
        customer = store.find_customer(session, verify_token(token or "", widget_secret))
    except TokenRefused:
        customer = None
    if customer is None:
        raise ApiError(401, "sign_in_again", "this conversation belongs to a signed-in customer; sign in again")
    if customer.id != conversation.customer_id:
        raise ApiError(409, "customer_mismatch", "this conversation belongs to another customer")


def _csat(sessions: sessionmaker[Session], days: int) -> dict[str, Any]:
    with sessions() as session:
        return ratings.csat_by_day(session, days)
