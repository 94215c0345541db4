"""Health of each component the console depends on."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from kizuna.rasa_client import RasaClient


def database_health(sessions: sessionmaker[Session]) -> dict[str, Any]:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
        return {"ok": True}
    except Exception as error:  # any failure means "not healthy", reported, not raised
        return {"ok": False, "error": type(error).__name__}


async def rasa_health(rasa: RasaClient) -> dict[str, Any]:
    try:
        status = await rasa.status()
        return {"ok": bool(status.get("model_id")), "model": status.get("model_file")}
    except (httpx.HTTPError, ValueError) as error:
        return {"ok": False, "error": type(error).__name__}


async def action_server_health(url: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=2.0) as client:
            response = await client.get(url)
        return {"ok": response.status_code == 200}
    except httpx.HTTPError as error:
        return {"ok": False, "error": type(error).__name__}
