"""Talking to the Rasa server (loopback only): turns through the kizuna channel (bot/kizuna_channel.py)
with the channel token, the rest through its HTTP API with the API token."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx


class RasaUnavailable(RuntimeError):
    pass


class RasaBusy(RasaUnavailable):
    """No turn could be sent within the time a customer waits: it was never sent, so Rasa spends nothing on it."""


@dataclass
class BotReply:
    text: str
    buttons: list[dict[str, Any]] = field(default_factory=list)
    custom: dict[str, Any] | None = None


WEBHOOK_PATH = "/webhooks/kizuna/webhook"
MIN_TIME_FOR_A_TURN = 1.0  # seconds; a turn that would get less is given up before it is sent


class RasaClient:
    """At most `max_in_flight` turns are with Rasa at once; the others wait here, within the same `timeout`.
    Under overload Rasa then works only on turns someone still waits for: a turn that could not be sent in
    time is given up before Rasa starts on it, instead of after Rasa has spent its time on it."""

    def __init__(self, base_url: str, token: str = "", timeout: float = 10.0, channel_token: str = "",
                 max_in_flight: int = 8) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._client = httpx.AsyncClient(timeout=timeout)
        self._channel_headers = {"Authorization": f"Bearer {channel_token}"}
        self._in_flight = asyncio.Semaphore(max(1, max_in_flight))

    async def close(self) -> None:
        await self._client.aclose()

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any], *,
                   is_command: bool = False) -> list[BotReply]:
        """The bot's replies to one turn. Only the payload of a button the bot offered `is_command`:
        other text never reaches Rasa as an intent command."""
        body = {"sender": conversation_id, "message": text, "metadata": metadata, "command": is_command}
        started = time.monotonic()
        try:
            await asyncio.wait_for(self._in_flight.acquire(), self.timeout)
        except asyncio.TimeoutError:
            raise RasaBusy(f"no free slot for a turn within {self.timeout:g} s") from None
        remaining = self.timeout - (time.monotonic() - started)
        if remaining < min(MIN_TIME_FOR_A_TURN, self.timeout / 2):  # too late to answer in time: Rasa is not asked to work on it
            self._in_flight.release()
            raise RasaBusy(f"a slot came free with {remaining:.2f} s left")
        try:
            response = await self._client.post(f"{self.base_url}{WEBHOOK_PATH}", json=body, headers=self._channel_headers,
                                               timeout=remaining)
            response.raise_for_status()
            return _joined([_reply(item) for item in response.json() or []])
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(str(error) or type(error).__name__) from error
        finally:
            self._in_flight.release()

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


def _joined(replies: list[BotReply]) -> list[BotReply]:
    """Rasa sends an utterance's custom JSON (`json_message`) as an item of its own right after the
    utterance's text: it belongs to that text (e.g. a rating request is a text with {"rating": true})."""
    joined: list[BotReply] = []
    for reply in replies:
        if joined and reply.custom and not (reply.text or reply.buttons) and joined[-1].custom is None:
            joined[-1].custom = reply.custom
        else:
            joined.append(reply)
    return joined
