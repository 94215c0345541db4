"""The bot's replies stored (masked for staff, the original encrypted) and the customer's message marked."""

from __future__ import annotations

from typing import Any, NamedTuple, Optional

from sqlalchemy.orm import Session, sessionmaker

from console.bot_answer import BotAnswer
from console.conversation_owner import Owner, owner_of
from console.message_views import message_out, own_view
from console.schemas import MessageOut
from kizuna.db import conversations as store
from kizuna.db.models import Message
from kizuna.personal_data import EMAIL, PLACEHOLDERS
from kizuna.rasa_client import BotReply
from kizuna.settings import get_settings
from kizuna.shop import get_shop_config
from kizuna.stored_text import original_text_cipher


class StoredReply(NamedTuple):
    message: MessageOut  # as stored and shown to staff
    written: str  # as the bot wrote it, for its customer's own view only

    def customer_view(self) -> MessageOut:
        return own_view(self.message, self.written)


def stored_reply_text(text: str) -> str:
    """A bot reply as stored and shown to staff: an e-mail address it echoes back to the customer (the one
    they left for a reply) is masked like the customer's own words; the shop's own addresses stay."""
    shop = {str(v).lower() for v in get_shop_config().facts.values() if isinstance(v, str) and "@" in v}
    return EMAIL.sub(lambda m: m.group(0) if m.group(0).lower() in shop else PLACEHOLDERS["email"], text)


class ReplyStorage:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def store(self, conversation_id: str, inbound_id: int, answer: BotAnswer) -> tuple[list[StoredReply], Owner]:
        """The replies, and who owns the conversation after the turn (it may have escalated it)."""
        cipher = original_text_cipher(get_settings())
        with self.sessions.begin() as session:
            stored = []
            for reply in answer.replies:
                if not (reply.text or reply.buttons):
                    continue
                text = stored_reply_text(reply.text)
                message = store.store_outbound(session, conversation_id, answer.sender, text, inbound_id, _payload(reply))
                if cipher is not None and text != reply.text:
                    message.original_encrypted = cipher.encrypt(reply.text.encode("utf-8")).decode("ascii")
                stored.append((message, reply.text))
            inbound = session.get(Message, inbound_id)
            if inbound is not None:
                inbound.status = answer.status
            return [StoredReply(message_out(m), text) for m, text in stored], owner_of(session, conversation_id)


def _payload(reply: BotReply) -> Optional[dict[str, Any]]:
    payload: dict[str, Any] = {}
    if reply.buttons:
        payload["buttons"] = reply.buttons
    if reply.custom:
        payload["custom"] = reply.custom
    return payload or None
