"""Stored messages as the widget and the staff pages show them."""

from __future__ import annotations

from typing import Any

from console.schemas import MessageOut
from kizuna.db.models import Message
from kizuna.db.ratings import is_rating_request

OFFER_PAYLOADS = {"/accept_offer", "/decline_offer"}


def message_out(message: Message) -> MessageOut:
    payload = message.payload or {}
    buttons = payload.get("buttons", [])
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        sender=message.sender,
        direction=message.direction,
        text=message.text,
        buttons=buttons,
        kind=_kind(payload, buttons),
        client_message_id=message.client_message_id,
        reply_to_id=message.reply_to_id,
        created_at=message.created_at,
    )


def _kind(payload: dict[str, Any], buttons: list[dict[str, Any]]) -> str:
    """`offer` (a retention offer's card), `rating` (the request to rate the chat) or `text`."""
    if buttons and {b.get("payload") for b in buttons} <= OFFER_PAYLOADS:
        return "offer"
    return "rating" if is_rating_request(payload) else "text"


def own_view(message: MessageOut, text: str) -> MessageOut:
    """The message as its customer sees it in their own session: their own words, unmasked."""
    return message if message.text == text else message.model_copy(update={"text": text})
