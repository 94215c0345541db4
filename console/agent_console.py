"""The agent console: the queue, one conversation with its analysis and customer, notes, resolving,
canned replies and the analytics page. Pages are static files; data comes from these JSON routes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml
from fastapi import APIRouter, Depends, Path as PathParam, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.charts import CHARTS, chart_svg, conversation_sentiment_svg
from console.customer_turns import message_out, status_event
from console.errors import ApiError
from console.schemas import NoteIn, Resolution
from kizuna import audit
from kizuna.conversation_status import ConversationStatus
from kizuna.db import conversations as store
from kizuna.db import handoff, ratings, webhook_events
from kizuna.db.activity import daily_activity, offers_by_arm
from kizuna.db.agent_queue import QUEUE_STATUSES, agent_queue
from kizuna.db.conversation_view import conversation_view, notes_of, sentiment_points
from kizuna.db.models import Conversation, ConversationNote, User
from kizuna.stored_text import protect
from sentiment.trend import intensity, load_trend_config

STATIC_DIR = Path(__file__).parent / "static"
SVG = "image/svg+xml"
REASON_PATTERN = r"^[A-Za-z0-9_:.\-]{1,80}$"  # reasons as stored, e.g. "risky_intent:cancel_order"
STATUS_PATTERN = "^(" + "|".join(QUEUE_STATUSES) + ")$"
CLOSED = "Our team has closed this conversation. Write again any time: our assistant is here to help."


@lru_cache(maxsize=4)
def canned_replies(path: Path) -> list[dict[str, str]]:
    return list(yaml.safe_load(path.read_text())["replies"])


router = APIRouter(tags=["agent console"])
PAGES = {"/agent": ("agent.html", ("agent", "admin")), "/analytics": ("analytics.html", ("agent", "trainer", "admin")),
         "/audit": ("audit.html", ("admin",)), "/agent/conversations/{conversation_id}": ("conversation.html", ("agent", "admin"))}


def _page(file_name: str):  # type: ignore[no-untyped-def]
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / file_name)

    return page


for _path, (_file_name, _roles) in PAGES.items():
    router.add_api_route(_path, _page(_file_name), methods=["GET"], include_in_schema=False,
                         dependencies=[Depends(deps.staff_page(*_roles))])


@router.get("/api/agent/queue")
async def queue(sessions: deps.Sessions, user: deps.Agent, status: Optional[str] = Query(None, pattern=STATUS_PATTERN),
                reason: Optional[str] = Query(None, pattern=REASON_PATTERN), tier: Optional[str] = Query(None, pattern="^(regular|silver|vip)$"),
                assignee: Optional[str] = Query(None, max_length=80)) -> dict[str, Any]:
    """Waiting, assigned and flagged conversations, most urgent first; `assignee=me|nobody|<name>`."""
    who = user.username if assignee == "me" else assignee
    return {"conversations": await _read(sessions, agent_queue, status=status, reason=reason, tier=tier, assignee=who)}


@router.get("/api/agent/conversations/{conversation_id}")
async def conversation(sessions: deps.Sessions, settings: deps.AppSettings, user: deps.Agent,
                       conversation_id: deps.ConversationId) -> dict[str, Any]:
    """Transcript with each customer turn's intent, confidence, sentiment and decision; the customer; notes."""
    view = await _read(sessions, _view_with_notes, conversation_id, settings.trend_config_path)
    if view is None:
        raise ApiError(404, "unknown_conversation", f"no conversation with id {conversation_id!r}")
    return view


@router.get("/api/agent/conversations/{conversation_id}/sentiment.svg", response_class=Response)
async def sentiment_chart(sessions: deps.Sessions, user: deps.Agent, conversation_id: deps.ConversationId) -> Response:
    turns = await _read(sessions, sentiment_points, conversation_id)
    return Response(await run_in_threadpool(conversation_sentiment_svg, turns), media_type=SVG)


@router.post("/api/agent/conversations/{conversation_id}/notes", status_code=201)
async def add_note(body: NoteIn, sessions: deps.Sessions, user: deps.Agent, conversation_id: deps.ConversationId) -> dict[str, Any]:
    """A private note on the conversation: staff see it, the customer never does."""
    return await run_in_threadpool(_add_note, sessions, conversation_id, user, body.text)


@router.post("/api/agent/conversations/{conversation_id}/resolve")
async def resolve(body: Resolution, sessions: deps.Sessions, hub: deps.Hub, user: deps.Agent,
                  conversation_id: deps.ConversationId) -> dict[str, Any]:
    """Close the conversation with an outcome (retained, lost, other) and ask the customer to rate the chat;
    the bot answers if the customer writes again."""
    summary = await run_in_threadpool(_resolve, sessions, conversation_id, user, body.outcome)
    hub.publish(conversation_id, status_event(ConversationStatus.RESOLVED, None))
    for message in (summary.pop("note"), summary.pop("rating_request")):
        if message is not None:
            hub.publish(conversation_id, {"type": "message", "message": message})
    return summary


@router.get("/api/agent/canned-replies")
async def canned(settings: deps.AppSettings, user: deps.Agent) -> dict[str, Any]:
    return {"replies": canned_replies(settings.canned_replies_path)}


@router.get("/api/analytics")
async def analytics(sessions: deps.Sessions, user: deps.AnyStaff, days: int = Query(30, ge=1, le=365)) -> dict[str, Any]:
    """Per day: conversations, average sentiment, flags, escalations; offers made and accepted by arm."""
    return await _read(sessions, _analytics, days)


@router.get("/api/analytics/charts/{name}.svg", response_class=Response)
async def analytics_chart(sessions: deps.Sessions, user: deps.AnyStaff, name: str = PathParam(pattern="^(" + "|".join(CHARTS) + ")$"),
                          days: int = Query(30, ge=1, le=365)) -> Response:
    data = await _read(sessions, _analytics, days)
    return Response(await run_in_threadpool(chart_svg, name, data["activity"], data["offers"]), media_type=SVG)


async def _read(sessions: sessionmaker[Session], query: Any, *args: Any, **kwargs: Any) -> Any:
    def run() -> Any:
        with sessions() as session:
            return query(session, *args, **kwargs)

    return await run_in_threadpool(run)


def _view_with_notes(session: Session, conversation_id: str, trend_config_path: Path) -> Optional[dict[str, Any]]:
    view = conversation_view(session, conversation_id)
    if view is not None:
        _add_feelings(view["transcript"], trend_config_path)
        view["notes"] = notes_of(session, conversation_id)
    return view


def _add_feelings(transcript: list[dict[str, Any]], trend_config_path: Path) -> None:
    """Each scored turn's sentiment on the intensity scale of trend.yml (furious, annoyed, calm, pleased, delighted)."""
    config = load_trend_config(trend_config_path)
    for entry in transcript:
        analysis = entry["analysis"]
        if analysis is not None:
            score = analysis["sentiment_score"]
            analysis["feeling"] = None if score is None else intensity(score, config)


def _analytics(session: Session, days: int) -> dict[str, Any]:
    today = date.today()
    return {"days": days, "activity": daily_activity(session, days, today), "offers": offers_by_arm(session, days, today)}


def _add_note(sessions: sessionmaker[Session], conversation_id: str, user: User, text: str) -> dict[str, Any]:
    with sessions.begin() as session:
        _existing(session, conversation_id)
        note = ConversationNote(conversation_id=conversation_id, user_id=user.id, username=user.username,
                                text=protect(text).text)  # personal data masked, as in the customer's messages
        session.add(note)
        session.flush()
        audit.record(session, user, "note", conversation_id, {"note_id": note.id})
        return {"id": note.id, "author": note.username, "text": note.text, "created_at": note.created_at}


def _resolve(sessions: sessionmaker[Session], conversation_id: str, user: User, outcome: str) -> dict[str, Any]:
    with sessions.begin() as session:
        conversation = _existing(session, conversation_id)
        try:
            now = datetime.now(timezone.utc)
            handoff.resolve(conversation, user.username, outcome, now)
        except handoff.HandoffConflict as error:
            raise ApiError(409, "handoff_conflict", str(error))
        webhook_events.conversation_resolved(session, conversation, now)
        audit.record(session, user, "resolve", conversation_id, {"outcome": outcome})
        note = store.store_outbound(session, conversation_id, "system", CLOSED, None)
        asked = ratings.request_rating(session, conversation_id)  # how did we do? (unless the customer rated it already)
        return {"conversation_id": conversation_id, "status": conversation.status, "outcome": conversation.outcome,
                "note": message_out(note).model_dump(mode="json"),
                "rating_request": message_out(asked).model_dump(mode="json") if asked else None}


def _existing(session: Session, conversation_id: str) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise ApiError(404, "unknown_conversation", f"no conversation with id {conversation_id!r}")
    return conversation
