"""What the kizuna input channel accepts, free of Rasa so that the app's tests can check it.

Who may call: only a caller that presents the channel's token (`Authorization: Bearer <token>`);
with no token configured, nobody. What a turn is: a sender, a message and metadata, and whether
the message is the payload of a button the bot offered. Only such a payload may be an intent
command (`/intent{...}`); typed text is changed so that Rasa never reads it as one.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any, Optional

from kizuna.typed_text import as_typed_text


def authorised(authorization_header: Optional[str], configured_token: str) -> bool:
    """Whether the header carries the configured token; always False when no token is configured."""
    if not configured_token or not authorization_header:
        return False
    scheme, _, presented = authorization_header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(presented.strip().encode(), configured_token.encode())


@dataclass(frozen=True)
class Turn:
    sender: str
    text: str
    metadata: Optional[dict[str, Any]]


class InvalidTurn(ValueError):
    """The request body is not a turn; the message says what is wrong."""


def read_turn(body: Any) -> Turn:
    """The turn a request body describes; its text is typed text unless `command` is true."""
    if not isinstance(body, dict):
        raise InvalidTurn("the body must be a JSON object")
    sender, message, metadata, command = (body.get(key) for key in ("sender", "message", "metadata", "command"))
    if not isinstance(sender, str) or not sender.strip():
        raise InvalidTurn("sender must be a non-empty string")
    if not isinstance(message, str):
        raise InvalidTurn("message must be a string")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidTurn("metadata must be an object")
    if command is not None and not isinstance(command, bool):
        raise InvalidTurn("command must be true or false")
    if not _is_encodable(sender) or not _is_encodable(message):
        raise InvalidTurn("sender and message must be valid text")
    text = message if command else as_typed_text(message)
    if not text.strip():  # Rasa would still classify it (an empty text came out as "affirm")
        raise InvalidTurn("message is empty (typed text without its leading slashes and spaces)")
    return Turn(sender, text, metadata)


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        return False
    return True
