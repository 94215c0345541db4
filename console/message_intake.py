"""A customer's message stored once, with who they are and who owns the conversation, in one transaction."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session, sessionmaker

from console.button_choices import ChoiceNotOffered, chosen_text
from console.conversation_owner import Owner, owner_of
from console.customer_identity import Identity, identify, started_signed_in
from console.errors import ApiError
from console.message_views import message_out
from console.schemas import IncomingMessage, TurnResult
from kizuna.conversation_status import ConversationStatus
from kizuna.db import conversations as store

UNKNOWN_CONVERSATION = "no such conversation, or not with this secret; start a new one"


class MessageIntake:
    def __init__(self, sessions: sessionmaker[Session], widget_secret: str) -> None:
        self.sessions = sessions
        self.widget_secret = widget_secret

    def store(self, conversation_id: str, incoming: IncomingMessage, secret: Optional[str]) -> tuple[TurnResult, Owner]:
        """Without a secret the message starts a new conversation (the result carries its secret); into an
        existing one only with its secret. A resend returns the first message with the replies it got."""
        with self.sessions.begin() as session:
            issued = _open_conversation(session, conversation_id, secret)
            identity = self._identify(session, conversation_id, incoming.customer_token)
            text = _text_to_store(session, conversation_id, incoming)
            stored = _store_once(session, conversation_id, text, incoming, identity)
            owner = owner_of(session, conversation_id)
            if owner.status == ConversationStatus.AGENT and not stored.duplicate:
                stored.message.status = "for_agent"
            replies = store.replies_to(session, stored.message.id) if stored.duplicate else []
            return TurnResult(
                conversation_id=conversation_id,
                message=message_out(stored.message),
                replies=[message_out(m) for m in replies],
                duplicate=stored.duplicate,
                identity=identity.kind,
                identity_refused=identity.refused,
                conversation_secret=issued,
            ), owner

    def _identify(self, session: Session, conversation_id: str, token: Optional[str]) -> Identity:
        identity = identify(session, token, self.widget_secret)
        if identity.customer is None and started_signed_in(session, conversation_id):
            raise ApiError(401, "sign_in_again", "this conversation belongs to a signed-in customer; "
                                                 "sign in again, or start a new conversation")
        return identity


def _open_conversation(session: Session, conversation_id: str, secret: Optional[str]) -> Optional[str]:
    try:
        return store.open_conversation(session, conversation_id, secret)
    except store.UnknownConversation:
        raise ApiError(404, "unknown_conversation", UNKNOWN_CONVERSATION)


def _text_to_store(session: Session, conversation_id: str, incoming: IncomingMessage) -> str:
    if not incoming.payload:
        return incoming.text
    resend = store.find_by_client_id(session, conversation_id, incoming.client_message_id) is not None
    try:
        return chosen_text(incoming.payload, incoming.text, store.offered_buttons(session, conversation_id), resend)
    except ChoiceNotOffered:
        raise ApiError(422, "unknown_payload", "that choice is no longer available; please type your answer")


def _store_once(session: Session, conversation_id: str, text: str, incoming: IncomingMessage,
                identity: Identity) -> store.StoredInbound:
    button = {"button_payload": incoming.payload} if incoming.payload else None
    try:
        return store.store_inbound(session, conversation_id, text, incoming.client_message_id, identity.customer, button)
    except store.CustomerMismatch:
        raise ApiError(409, "customer_mismatch", "this conversation belongs to another customer")
