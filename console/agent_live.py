"""The staff conversation page's live feed: a conversation's events pushed to logged-in agents and admins
(the customer's own live connection needs the conversation's secret, which staff never hold)."""

from __future__ import annotations

import asyncio
from typing import Any, Optional
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.staff_auth import COOKIE
from kizuna import accounts

STAFF_ROLES = ("agent", "admin")


router = APIRouter(tags=["agent console"])


@router.websocket("/api/agent/conversations/{conversation_id}/live")
async def agent_live(websocket: WebSocket, sessions: deps.Sessions, hub: deps.Hub, conversation_id: deps.ConversationId) -> None:
    """Every new event of the conversation, for an agent or admin logged in on this site; read-only."""
    role = await run_in_threadpool(_role_of, sessions, websocket.cookies.get(COOKIE))
    if role not in STAFF_ROLES or not _same_site(websocket):
        await websocket.close()  # before accepting: the handshake is refused with 403
        return
    await websocket.accept()
    queue = hub.subscribe(conversation_id)
    pusher = asyncio.create_task(_push(websocket, queue))
    try:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass  # the page sends nothing; whatever it sends is ignored
    finally:
        pusher.cancel()
        hub.unsubscribe(conversation_id, queue)


async def _push(websocket: WebSocket, queue: asyncio.Queue[dict[str, Any]]) -> None:
    while True:
        await websocket.send_json(await queue.get())


def _role_of(sessions: sessionmaker[Session], token: Optional[str]) -> Optional[str]:
    with sessions() as session:
        found = accounts.session_user(session, token)
        return found[0].role if found else None


def _same_site(websocket: WebSocket) -> bool:
    """A browser sends Origin with every WebSocket handshake: only the console's own pages may open this one
    (host names compared: a proxy in front may drop the port from Host)."""
    origin = websocket.headers.get("origin")
    return origin is None or urlsplit(origin).hostname == urlsplit(f"//{websocket.headers.get('host', '')}").hostname
