"""The rasa server's only way in for conversations: the console, with the channel's token.

Registered in bot/credentials.yml; answers POST /webhooks/kizuna/webhook with the bot's replies
as a list of {text, buttons, custom, ...}, collected as Rasa's REST channel collects them. The
rules of what it accepts are in bot/channel_rules.py. Message text is never logged.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channel_rules import InvalidTurn, authorised, read_turn

logger = logging.getLogger(__name__)


class KizunaChannel(InputChannel):
    def __init__(self, token: str) -> None:
        self.token = token

    @classmethod
    def name(cls) -> Text:
        return "kizuna"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "KizunaChannel":
        token = str((credentials or {}).get("token") or "")
        if not token:
            logger.error("the kizuna channel has no token (KIZUNA_CHANNEL_TOKEN): it refuses every message")
        return cls(token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("kizuna_channel", __name__)

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not authorised(request.headers.get("Authorization"), self.token):
                return response.json({"error": "a valid channel token is required"}, status=401,
                                     headers={"WWW-Authenticate": "Bearer"})
            try:
                turn = read_turn(_json_body(request))
            except InvalidTurn as error:
                return response.json({"error": str(error)}, status=400)
            collector = CollectingOutputChannel()
            message = UserMessage(turn.text, collector, turn.sender, input_channel=self.name(), metadata=turn.metadata)
            await _handle(on_new_message, message)
            return response.json(collector.messages)

        return hook


def _json_body(request: Request) -> Any:
    try:
        return request.json
    except SanicException as error:
        raise InvalidTurn("the body must be JSON") from error


async def _handle(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> None:
    """Run the turn; a failure is logged without the message's text and the replies so far are returned."""
    try:
        await on_new_message(message)
    except CancelledError:
        logger.warning("the caller stopped waiting before the turn ended")
    except Exception as error:  # the caller still gets the replies collected before the failure
        logger.error("a turn failed: %s", type(error).__name__)
