"""Reading the latest customer turn out of a Rasa tracker."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from rasa_sdk import Tracker

from kizuna.db.turns import Turn


def latest_user_event(tracker: Tracker) -> Optional[dict[str, Any]]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event
    return None


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent NLU gave the customer's latest message, if any."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_bot_event(tracker: Tracker) -> dict[str, Any]:
    """The bot's latest message as an event ({} before the bot said anything)."""
    return next((event for event in reversed(tracker.events) if event.get("event") == "bot"), {})


def message_metadata(tracker: Tracker) -> dict[str, Any]:
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def current_turn(tracker: Tracker) -> Optional[Turn]:
    """The customer's latest message as a Turn, or None if there is none yet."""
    event = latest_user_event(tracker)
    if event is None:
        return None
    parse = tracker.latest_message or {}
    intent = parse.get("intent") or {}
    message_id = _as_int(message_metadata(tracker).get("message_id"))
    timestamp = event.get("timestamp")
    return Turn(
        conversation_id=tracker.sender_id,
        turn_key=f"msg:{message_id}" if message_id is not None else f"ts:{timestamp}",
        text=parse.get("text") or event.get("text") or "",
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        entities=[_entity_summary(e) for e in parse.get("entities") or []],
        intent_ranking=_top_intents(parse.get("intent_ranking") or []),
        message_id=message_id,
        message_at=datetime.fromtimestamp(timestamp, tz=timezone.utc) if timestamp else None,
    )


def _entity_summary(entity: dict[str, Any]) -> dict[str, Any]:
    keys = ("entity", "value", "start", "end", "extractor")
    return {key: entity.get(key) for key in keys if key in entity}


def _top_intents(ranking: list[dict[str, Any]], keep: int = 3) -> list[dict[str, Any]]:
    """The best guesses besides the fallback, so a trainer sees what the bot thought."""
    guesses = [r for r in ranking if r.get("name") and r.get("name") != "nlu_fallback"][:keep]
    return [{"name": r["name"], "confidence": round(float(r.get("confidence") or 0.0), 4)} for r in guesses]


def _as_int(value: Any) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
