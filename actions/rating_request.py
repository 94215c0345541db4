"""Asking the customer to rate the chat when it ends with the bot: a "no" to "anything else?" or a goodbye.
Asked once per conversation, never while a person is about to join or has joined."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from kizuna.db import ratings
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation

ENDING_INTENTS = frozenset({"deny", "goodbye"})
WITH_THE_BOT = frozenset({"bot", "resolved"})


def ask_for_rating(dispatcher: CollectingDispatcher, conversation_id: str, intent: str) -> bool:
    """Add the rating request to the bot's answer when the conversation has just ended; whether it did."""
    if intent not in ENDING_INTENTS or not rating_wanted(conversation_id):
        return False
    dispatcher.utter_message(text=ratings.RATING_QUESTION, json_message=dict(ratings.RATING_CUSTOM))
    return True


def rating_wanted(conversation_id: str) -> bool:
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        return (conversation is not None and conversation.status in WITH_THE_BOT
                and ratings.should_request_rating(session, conversation_id))
