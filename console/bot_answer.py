"""What the bot answers to a customer's message, or the apology when it cannot."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from console.button_choices import bot_input
from console.schemas import IncomingMessage
from kizuna.rasa_client import BotReply, RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, I'm having a technical problem right now. Your message is saved, "
    "and we'll get back to you as soon as possible."
)


@dataclass(frozen=True)
class BotAnswer:
    replies: list[BotReply]
    status: str  # of the customer's message: answered, unanswered (the actions failed) or bot_failed (Rasa unreachable)

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    @property
    def sender(self) -> str:
        return "bot" if self.answered else "system"


def apology(status: str) -> BotAnswer:
    return BotAnswer([BotReply(text=APOLOGY)], status)


async def ask_bot(rasa: RasaClient, conversation_id: str, message_id: int, incoming: IncomingMessage) -> BotAnswer:
    """The bot gets the customer's own words (e.g. the e-mail address it asks for); only storage masks them."""
    text, is_command = bot_input(incoming.text, incoming.payload)
    try:
        replies = await rasa.send(conversation_id, text, {"message_id": message_id}, is_command=is_command)
    except RasaUnavailable as error:
        logger.warning("rasa unavailable for message %s: %s", message_id, error)
        return apology("bot_failed")
    if any(reply.text or reply.buttons for reply in replies):
        return BotAnswer(replies, "answered")
    return apology("unanswered")
