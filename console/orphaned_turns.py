"""Turns a console left unfinished (it stopped mid-turn): the resent message gets the apology, once."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session, sessionmaker

from console.bot_answer import APOLOGY
from console.message_views import message_out
from console.schemas import MessageOut
from kizuna.db import conversations as store

# A customer message still waiting for the bot this long after it arrived was left by a console that
# stopped mid-turn (a turn ends within the Rasa timeout of a few seconds).
ORPHANED_AFTER = timedelta(seconds=15)


class OrphanedTurns:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def apologise(self, conversation_id: str, message_id: int) -> list[MessageOut]:
        """The apology, stored, if this message is orphaned and no other console claimed it first; else nothing."""
        received_before = datetime.now(timezone.utc) - ORPHANED_AFTER
        with self.sessions.begin() as session:
            if not store.claim_orphaned_turn(session, message_id, received_before):
                return []
            return [message_out(store.store_outbound(session, conversation_id, "system", APOLOGY, message_id, None))]
