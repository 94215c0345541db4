"""Who has a conversation (its `status`), and which changes of hands are allowed.

The values are the strings stored in `conversations.status` and sent in the API's JSON and the widget's
status events: a member is a `str` and equals, serialises and stores as its value. Staff roles
(kizuna.accounts.ROLES: agent, trainer, admin) are another thing, though one of them is also spelt "agent".
"""

from __future__ import annotations

from enum import Enum
from typing import Optional


class ConversationStatus(str, Enum):
    BOT = "bot"  # the bot answers (a new conversation, or one handed back)
    WAITING_FOR_AGENT = "waiting_for_agent"  # escalated: in the agents' queue, the bot still answers
    AGENT = "agent"  # one agent owns it (Conversation.agent_name): the bot stays silent
    RESOLVED = "resolved"  # an agent closed it with an outcome; the bot answers if the customer writes again
    CLOSED = "closed"  # a past conversation of the demo shop's history; the console treats it like a bot-owned one

    def __str__(self) -> str:  # the stored string, also in f-strings and messages
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)


_S = ConversationStatus

# Where a conversation may go from each status:
#   to WAITING_FOR_AGENT by an escalation (kizuna.db.retention_records.escalate), not while waiting or owned;
#   to AGENT when an agent claims it (kizuna.db.handoff.claim), not once resolved; AGENT to AGENT is its owner
#   claiming it again (who may is the caller's check);
#   to BOT when its agent hands it back (handoff.hand_back);
#   to RESOLVED when an agent resolves it (handoff.resolve), once.
TRANSITIONS: dict[ConversationStatus, frozenset[ConversationStatus]] = {
    _S.BOT: frozenset({_S.WAITING_FOR_AGENT, _S.AGENT, _S.RESOLVED}),
    _S.WAITING_FOR_AGENT: frozenset({_S.AGENT, _S.RESOLVED}),
    _S.AGENT: frozenset({_S.AGENT, _S.BOT, _S.RESOLVED}),
    _S.RESOLVED: frozenset({_S.WAITING_FOR_AGENT}),
    _S.CLOSED: frozenset({_S.WAITING_FOR_AGENT, _S.AGENT, _S.RESOLVED}),
}


class TransitionRefused(ValueError):
    """A conversation in one status cannot go to the other."""

    def __init__(self, current: object, new: object) -> None:
        super().__init__(f"a conversation that is {current!s} cannot become {new!s}")
        self.current, self.new = current, new


def status_of(value: object) -> Optional[ConversationStatus]:
    """The status a stored string names, or None if it names none."""
    try:
        return ConversationStatus(value)
    except ValueError:
        return None


def may_become(current: object, new: ConversationStatus) -> bool:
    known = status_of(current)
    return known is not None and new in TRANSITIONS[known]


def sources_of(new: ConversationStatus) -> list[ConversationStatus]:
    """The statuses from which a conversation may go to `new` (for a conditional UPDATE)."""
    return [status for status, targets in TRANSITIONS.items() if new in targets]


def transition(current: object, new: ConversationStatus) -> ConversationStatus:
    """`new`, if a conversation in status `current` may go there; else TransitionRefused."""
    if not may_become(current, new):
        raise TransitionRefused(current, new)
    return new
