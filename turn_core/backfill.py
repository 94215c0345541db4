"""Analysing customer messages the bot could not handle when they arrived (Rasa or the action server
was down or too slow): each gets its turn analysis — intent if Rasa can parse now, sentiment, the
customer's profile and the retention decision — exactly once."""

from __future__ import annotations

import logging
from typing import Callable, Optional

from kizuna.db.engine import session_scope
from kizuna.db.turns import Turn, unanalysed_messages
from kizuna.stored_text import reveal
from turn_core.analysis import analyse_turn  # the same step the action server runs

logger = logging.getLogger(__name__)
UNANALYSED_STATUSES = ("bot_failed", "unanswered")
Parse = Callable[[str], tuple[Optional[str], Optional[float]]]


def unanalysed_turns(limit: int = 500) -> list[Turn]:
    """Customer messages the bot failed on that have no analysis yet, oldest first."""
    with session_scope() as session:
        messages = unanalysed_messages(session, UNANALYSED_STATUSES, limit)
        # The stored text is masked; the customer's own words only when their encrypted original was kept.
        return [Turn(conversation_id=m.conversation_id, turn_key=f"msg:{m.id}", text=reveal(m.text, m.original_encrypted),
                     intent=None, confidence=None, message_id=m.id, message_at=m.created_at)
                for m in messages]


def backfill(parse: Optional[Parse] = None) -> dict[str, int]:
    """Analyse what is missing; `parse` gives (intent, confidence) when Rasa can be asked."""
    turns = unanalysed_turns()
    if not turns:
        return {"analysed": 0, "failed": 0}
    done = failed = 0
    for turn in turns:
        try:
            if parse is not None:
                turn.intent, turn.confidence = parse(turn.text)
            analyse_turn(turn)
            done += 1
        except Exception:  # one bad message must not stop the others; it stays for the next run
            logger.exception("could not analyse message %s", turn.message_id)
            failed += 1
    return {"analysed": done, "failed": failed}
