"""Who has a conversation: the bot or an agent, and whether the customer left an address for a reply."""

from __future__ import annotations

from typing import NamedTuple, Optional

from sqlalchemy.orm import Session

from kizuna.db.models import Conversation
from kizuna.follow_ups import has_open_follow_up


class Owner(NamedTuple):
    status: Optional[str]
    agent: Optional[str]
    follow_up: bool


NO_CONVERSATION_YET = Owner(None, None, False)


def owner_of(session: Session, conversation_id: str) -> Owner:
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return NO_CONVERSATION_YET
    return Owner(conversation.status, conversation.agent_name, has_open_follow_up(session, conversation_id))
