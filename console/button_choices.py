"""Quick-reply buttons: only a button the bot offered reaches Rasa as a command; typed text never does."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

from kizuna.typed_text import as_typed_text


class ChoiceNotOffered(ValueError):
    """A button payload the bot did not offer since the customer's last message."""


class BotInput(NamedTuple):
    text: str
    is_command: bool


def chosen_text(payload: str, typed_text: str, offered_buttons: list[dict[str, Any]], resend: bool) -> str:
    """The text a button turn is stored as: the title the bot showed, so staff read what was chosen,
    whatever the client sent. A resend is let through: its turn was stored when the button was still offered."""
    offered = {button.get("payload"): button.get("title") for button in offered_buttons}
    if payload not in offered and not resend:
        raise ChoiceNotOffered(payload)
    return str(offered.get(payload) or typed_text)


def bot_input(text: str, payload: Optional[str]) -> BotInput:
    """Rasa reads a message starting with "/" as `/intent{...}`: a pressed button's payload is meant to be
    one, typed text must not become one (and Rasa refuses an empty message)."""
    if payload:
        return BotInput(payload, is_command=True)
    return BotInput(as_typed_text(text).strip() or "?", is_command=False)
