"""Request and response bodies of the console API."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Optional

from pydantic import BaseModel, Field, field_validator

MAX_MESSAGE_CHARS = 2000
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Drop control characters (NUL breaks PostgreSQL) and surrounding whitespace."""
    return _CONTROL_CHARS.sub("", value).strip()


def encodable(value: str) -> str:
    """JSON may spell a lone surrogate (\\ud800) that no UTF-8 text can hold: refuse it up front."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (it holds a lone surrogate)") from None
    return value


def usable_text(value: str) -> str:
    cleaned = clean_text(value)
    if not cleaned:
        raise ValueError("text must not be empty")
    if len(cleaned) > MAX_MESSAGE_CHARS:
        raise ValueError(f"text is longer than {MAX_MESSAGE_CHARS} characters ({len(cleaned)})")
    return cleaned


class IncomingMessage(BaseModel):
    text: str = Field(description="What the customer wrote, at most 2,000 characters.")
    client_message_id: str = Field(pattern=ID_PATTERN, description="Unique per message; a resend with the same id is answered once.")
    customer_token: Optional[str] = Field(default=None, max_length=256,
                                          description="Signed by the shop's backend (see README); a refused token means an anonymous chat.")
    payload: Optional[str] = Field(default=None, pattern=r"^/[a-z_]{1,40}(\{.{1,200}\})?$",
                                   description="The payload of a quick-reply button the bot offered since the customer's last "
                                               "message, exactly; `text` is then the button's title.")

    @field_validator("text")
    @classmethod
    def _text_is_usable(cls, value: str) -> str:
        return usable_text(encodable(value))

    @field_validator("customer_token", "payload")
    @classmethod
    def _is_encodable(cls, value: Optional[str]) -> Optional[str]:
        return encodable(value) if value is not None else None


class MessageOut(BaseModel):
    id: int
    conversation_id: str
    sender: str
    direction: str
    text: str
    buttons: list[dict[str, Any]] = []
    kind: str = Field(default="text", description="`text`, or `offer` for a retention offer shown as a card.")
    client_message_id: Optional[str] = None
    reply_to_id: Optional[int] = None
    created_at: datetime


class TurnResult(BaseModel):
    conversation_id: str
    message: MessageOut
    replies: list[MessageOut]
    duplicate: bool = False
    identity: str = Field(default="anonymous", description="`customer` when a valid token named a known customer.")
    identity_refused: Optional[str] = Field(default=None, description="Why a token was refused: malformed, bad_signature, expired, unknown_customer.")
    conversation_secret: Optional[str] = Field(
        default=None, description="Only in the reply that started the conversation: send it as the X-Conversation-Secret header "
                                  "(or in the live connection's auth frame) from then on; it is never shown again.")


class History(BaseModel):
    conversation_id: str
    status: str
    agent: Optional[str] = None
    messages: list[MessageOut]


class AgentMessage(BaseModel):
    text: str = Field(description="What the agent writes to the customer, at most 2,000 characters.")

    @field_validator("text")
    @classmethod
    def _text_is_usable(cls, value: str) -> str:
        return usable_text(value)


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    username: str
    role: str = Field(description="agent, trainer or admin.")
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header with every POST, PUT, PATCH and DELETE.")


class WaitingConversation(BaseModel):
    conversation_id: str
    status: str
    priority: Optional[str]
    reasons: list[str]
    customer_id: Optional[str]
    agent: Optional[str]
    escalated_at: Optional[datetime]


class NoteIn(AgentMessage):
    """A private note on a conversation: staff see it, the customer never does (same limits as a reply)."""


class Resolution(BaseModel):
    outcome: str = Field(pattern="^(retained|lost|other)$", description="How it ended: retained, lost or other.")


class ReviewIn(BaseModel):
    ids: list[Annotated[int, Field(ge=1)]] = Field(min_length=1, max_length=500, description="Inbox item ids (1 to 500).")
    action: str = Field(pattern="^(confirm|relabel|dismiss)$", description="confirm the bot's intent, relabel, or dismiss.")
    intent: Optional[str] = Field(default=None, max_length=64, description="For relabel: an existing or a new intent name.")


class SentimentLabelIn(BaseModel):
    label: str = Field(pattern="^(negative|neutral|positive)$", description="The right sentiment of the turn.")


class RetrainIn(BaseModel):
    kind: str = Field(pattern="^(nlu|sentiment)$", description="nlu (the assistant) or sentiment.")
    force: bool = Field(default=False, description="Promote the candidate even when it is worse than the serving model.")
