"""Talking to the Rasa server over its REST channel and HTTP API (loopback only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx


class RasaUnavailable(RuntimeError):
    pass


@dataclass
class BotReply:
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)
    custom: dict[str, Any] | None = None


class RasaClient:
    def __init__(self, base_url: str, token: str = "", timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._client = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        body = {"sender": conversation_id, "message": text, "metadata": metadata}
        try:
            response = await self._client.post(f"{self.base_url}/webhooks/rest/webhook", json=body)
            response.raise_for_status()
            return [_reply(item) for item in response.json() or []]
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error) or type(error).__name__) from error

    async def status(self) -> dict[str, Any]:
        response = await self._client.get(f"{self.base_url}/status", params={"token": self.token}, timeout=2.0)
        response.raise_for_status()
        return response.json()


def _reply(item: dict[str, Any]) -> BotReply:
    return BotReply(
        text=str(item.get("text") or ""),
        buttons=[{"title": b.get("title"), "payload": b.get("payload")} for b in item.get("buttons") or []],
        custom=item.get("custom"),
    )
