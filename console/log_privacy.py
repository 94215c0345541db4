"""The console's server log names no conversation: uvicorn's access and WebSocket lines
(`"WebSocket /api/conversations/<id>/live" [accepted]`) show `/conversations/-` instead of the id."""

from __future__ import annotations

import logging
import re

_CONVERSATION_IN_PATH = re.compile(r"(/conversations/)[^/?#\s\"']+")
SERVER_LOGGERS = ("uvicorn.error", "uvicorn.access")


def without_conversation_ids(text: str) -> str:
    return _CONVERSATION_IN_PATH.sub(r"\1-", text)


class HideConversationIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_conversation_ids(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_conversation_ids(a) if isinstance(a, str) else a for a in record.args)
        return True


def hide_conversation_ids() -> None:
    """Once per process, on the loggers uvicorn writes requests to."""
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideConversationIds) for f in logger.filters):
            logger.addFilter(HideConversationIds())
