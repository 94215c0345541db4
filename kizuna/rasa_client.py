"""Talking to the Rasa server (loopback only), the one client every part uses: customer turns through the
kizuna channel (bot/kizuna_channel.py) with the channel token (`RasaClient`, async, for the console), and
its HTTP API with the API token (status, parsing, loading a model: plain calls for the CLI and jobs)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

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


async def model_status(rasa: RasaClient) -> dict[str, Any]:
    """{"ok": whether Rasa answers with a model loaded, "model": its file}, or {"ok": False, "error": ...}."""
    try:
        status = await rasa.status()
        return {"ok": bool(status.get("model_id")), "model": status.get("model_file")}
    except (httpx.HTTPError, ValueError) as error:
        return {"ok": False, "error": type(error).__name__}


def rasa_status(url: str, token: str, timeout: float = 2.0) -> Optional[dict]:
    """What a rasa server at `url` says of itself (model_id, model_file, ...); None if it does not answer."""
    try:
        response = httpx.get(f"{url}/status", params={"token": token}, timeout=timeout)
        response.raise_for_status()
        return response.json()
    except (httpx.HTTPError, ValueError):
        return None


def server_is_up(url: str, token: str, timeout: float = 2.0) -> bool:
    """Whether a rasa server answers its status call at `url`."""
    return rasa_status(url, token, timeout) is not None


def intent_of(url: str, token: str) -> Callable[[str], tuple[Optional[str], Optional[float]]]:
    """Parsing one message at a time with a running rasa server: text → (intent, confidence)."""
    def parse_one(text: str) -> tuple[Optional[str], Optional[float]]:
        result = next(parse([text], url, token))
        return result["intent"], result["confidence"]

    return parse_one


def load_into_server(url: str, token: str, model: Path, timeout: float = 180.0, confirmations: int = 12) -> None:
    """Make a running rasa server serve `model` from now on (no restart). A rasa server with several workers
    (processes) loads it in the one worker that takes the request, so the model is sent again until
    `confirmations` status calls in a row, each on a new connection that any worker may take, report it."""
    deadline = time.monotonic() + timeout
    confirmed, send = 0, True
    while confirmed < confirmations:
        if time.monotonic() > deadline:
            raise httpx.TimeoutException(f"the rasa server at {url} did not report {model.name} within {timeout:g} s")
        if send:
            response = httpx.put(f"{url}/model", params={"token": token}, json={"model_file": str(model)}, timeout=timeout)
            response.raise_for_status()
        status = rasa_status(url, token, timeout=30.0)
        serves = status is not None and Path(status.get("model_file") or "").name == model.name
        confirmed, send = (confirmed + 1, False) if serves else (0, True)


def parse(texts: Iterable[str], url: str, token: str) -> Iterator[dict]:
    """Parse each text with a running rasa server; one dict per text: text, intent and confidence as the
    assistant acts on them, and raw_intent and raw_confidence, the classifier's own best guess before the
    fallback threshold."""
    with httpx.Client(timeout=30.0) as client:
        for text in texts:
            response = client.post(f"{url}/model/parse", params={"token": token}, json={"text": text})
            response.raise_for_status()
            result = response.json()
            intent = result.get("intent") or {}
            raw = next((r for r in result.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"), intent)
            yield {"text": text, "intent": intent.get("name"), "confidence": _rounded(intent.get("confidence")),
                   "raw_intent": raw.get("name"), "raw_confidence": _rounded(raw.get("confidence"))}


def _rounded(confidence: object) -> float:
    return round(float(confidence or 0.0), 4)
