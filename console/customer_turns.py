"""A customer turn: store the message, let the bot answer, store and push the replies.

Each job has its own module; this coordinator runs them in order, one turn per conversation at a time."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Optional

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from console.bot_answer import ask_bot
from console.catch_up import CatchUp
from console.conversation_owner import Owner
from console.live_events import push_messages, push_owner, status_event
from console.live_hub import LiveHub
from console.message_intake import UNKNOWN_CONVERSATION, MessageIntake
from console.message_views import message_out
from console.orphaned_turns import ORPHANED_AFTER, OrphanedTurns
from console.reply_storage import ReplyStorage, StoredReply
from console.schemas import IncomingMessage, MessageOut, TurnResult
from kizuna.conversation_status import ConversationStatus
from kizuna.rasa_client import RasaClient

__all__ = ["CustomerTurns", "ORPHANED_AFTER", "UNKNOWN_CONVERSATION", "message_out", "status_event"]


class CustomerTurns:
    def __init__(self, sessions: sessionmaker[Session], rasa: RasaClient, hub: LiveHub, widget_secret: str = "") -> None:
        self.sessions, self.rasa, self.hub = sessions, rasa, hub
        self.widget_secret = widget_secret
        self._intake = MessageIntake(sessions, widget_secret)
        self._replies = ReplyStorage(sessions)
        self._orphans = OrphanedTurns(sessions)
        self._catch_up = CatchUp(rasa)
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @property
    def _missed_turns(self) -> bool:
        return self._catch_up.pending

    @_missed_turns.setter
    def _missed_turns(self, missed: bool) -> None:
        self._catch_up.pending = missed

    async def handle(self, conversation_id: str, incoming: IncomingMessage, secret: Optional[str]) -> TurnResult:
        """Without a secret the message starts a new conversation (the result carries its secret);
        into an existing one only with its secret."""
        async with self._locks[conversation_id]:
            stored, owner_before = await run_in_threadpool(self._intake.store, conversation_id, incoming, secret)
            if stored.duplicate:
                return await self._answer_resend(conversation_id, stored)
            push_messages(self.hub, conversation_id, [stored.message])
            if owner_before.status == ConversationStatus.AGENT:  # the message waits for the agent (marked so as it was stored)
                return stored.model_copy(update={"replies": []})
            replies, owner_after = await self._bot_turn(conversation_id, stored.message, incoming)
            push_messages(self.hub, conversation_id, [reply.message for reply in replies])
            if owner_after != owner_before:  # the turn escalated the conversation, or the customer left an address
                push_owner(self.hub, conversation_id, owner_after)
            # The answer goes to this customer only: the replies as the bot wrote them to them (their own message
            # comes back as stored; the widget shows what they typed from its own memory).
            return stored.model_copy(update={"replies": [reply.customer_view() for reply in replies]})

    async def _bot_turn(self, conversation_id: str, inbound: MessageOut, incoming: IncomingMessage
                        ) -> tuple[list[StoredReply], Owner]:
        answer = await ask_bot(self.rasa, conversation_id, inbound.id, incoming)
        replies, owner = await run_in_threadpool(self._replies.store, conversation_id, inbound.id, answer)
        if not answer.answered:
            self._catch_up.note_miss()
        elif self._catch_up.pending:
            self.catch_up()
        return replies, owner

    async def _answer_resend(self, conversation_id: str, resent: TurnResult) -> TurnResult:
        """A resent message whose turn no console finished gets the apology now, once; its analysis is
        caught up like any missed turn."""
        if resent.replies:
            return resent
        apology = await run_in_threadpool(self._orphans.apologise, conversation_id, resent.message.id)
        if not apology:
            return resent
        self._catch_up.note_miss()
        push_messages(self.hub, conversation_id, apology)
        return resent.model_copy(update={"replies": apology})

    def catch_up(self) -> None:
        """Analyse, in the background, the messages the bot missed while it was down (it is back now)."""
        self._catch_up.start()

    async def keep_catching_up(self, every_seconds: float = 15.0) -> None:
        """Runs for the console's lifetime: misses after the last answered turn are caught up too,
        as soon as Rasa answers its status call, even if no customer writes again."""
        while True:
            await asyncio.sleep(every_seconds)
            if await self._catch_up.due():
                self.catch_up()
