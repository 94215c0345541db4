"""Health of each component the console depends on, and /healthz reporting it."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from kizuna.rasa_client import model_status


def database_health(sessions: sessionmaker[Session]) -> dict[str, Any]:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
        return {"ok": True}
    except Exception as error:  # any failure means "not healthy", reported, not raised
        return {"ok": False, "error": type(error).__name__}


async def action_server_health(url: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(url)
        return {"ok": response.status_code == 200}
    except httpx.HTTPError as error:
        return {"ok": False, "error": type(error).__name__}


router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz(sessions: deps.Sessions, settings: deps.AppSettings, rasa: deps.Rasa) -> JSONResponse:
    """Each component's health; 200 when all are up, 503 otherwise."""
    components = {
        "console": {"ok": True},
        "database": await run_in_threadpool(database_health, sessions),
        "rasa": await model_status(rasa),
        "action_server": await action_server_health(f"http://127.0.0.1:{settings.action_server_port}/health"),
    }
    healthy = all(c["ok"] for c in components.values())
    return JSONResponse({"status": "ok" if healthy else "degraded", "components": components}, 200 if healthy else 503)
