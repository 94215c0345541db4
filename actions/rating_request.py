"""Asking the customer to rate the chat when it ends with the bot: a "no" to "anything else?" or a goodbye.
Asked once per conversation, never while a person is about to join or has joined."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from kizuna.conversation_status import ConversationStatus
from kizuna.db import ratings
from kizuna.db.conversations import customer_message_count
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation

WITH_THE_BOT = frozenset({ConversationStatus.BOT, ConversationStatus.RESOLVED})


def ask_for_rating(dispatcher: CollectingDispatcher, conversation_id: str) -> bool:
    """Add the rating request to the bot's answer to the end of a chat; whether it did."""
    if not rating_wanted(conversation_id):
        return False
    dispatcher.utter_message(text=ratings.RATING_QUESTION, json_message=dict(ratings.RATING_CUSTOM))
    return True


def rating_wanted(conversation_id: str) -> bool:
    """Not for a chat that is only its goodbye: something must have been asked and answered before."""
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        return (conversation is not None and conversation.status in WITH_THE_BOT
                and customer_message_count(session, conversation_id) >= 2
                and ratings.should_request_rating(session, conversation_id))
