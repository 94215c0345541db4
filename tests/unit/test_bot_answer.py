"""The bot's answer to a customer message, or the apology (with why) when there is none."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

from console.bot_answer import APOLOGY, ask_bot
from console.schemas import IncomingMessage
from kizuna.rasa_client import BotReply, RasaUnavailable


class Rasa:
    def __init__(self, replies: Optional[list[BotReply]] = None) -> None:
        self.replies = replies
        self.sent: list[tuple[str, bool]] = []

    async def send(self, conversation_id: str, text: str, metadata: dict[str, Any], is_command: bool = False) -> list[BotReply]:
        self.sent.append((text, is_command))
        if self.replies is None:
            raise RasaUnavailable("connection refused")
        return self.replies


def _ask(rasa: Rasa, text: str = "hello", payload: Optional[str] = None):
    incoming = IncomingMessage(text=text, client_message_id="m-1", payload=payload)
    return asyncio.run(ask_bot(rasa, "c-1", 7, incoming))  # type: ignore[arg-type]


def test_a_reply_is_the_bots_answer():
    answer = _ask(Rasa([BotReply(text="Hi!")]))
    assert answer.answered and answer.sender == "bot" and answer.replies == [BotReply(text="Hi!")]


def test_rasa_unreachable_gets_the_apology_from_the_system():
    answer = _ask(Rasa(None))
    assert (answer.status, answer.sender, [r.text for r in answer.replies]) == ("bot_failed", "system", [APOLOGY])


def test_no_answer_at_all_gets_the_apology_too():
    answer = _ask(Rasa([BotReply(text="")]))
    assert (answer.status, answer.sender, [r.text for r in answer.replies]) == ("unanswered", "system", [APOLOGY])


def test_a_button_is_sent_as_a_command_and_typed_intent_text_is_not():
    rasa = Rasa([BotReply(text="ok")])
    _ask(rasa, "Yes", payload="/accept_offer")
    _ask(rasa, "/accept_offer")
    assert rasa.sent == [("/accept_offer", True), ("accept_offer", False)]
