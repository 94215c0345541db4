"""kizuna.conversation_status: the statuses as the stored strings, the changes allowed between them,
and the handoff steps (kizuna.db.handoff) held to them."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from kizuna.conversation_status import (
    TRANSITIONS,
    ConversationStatus,
    TransitionRefused,
    may_become,
    sources_of,
    transition,
)
from kizuna.db import handoff
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation

S = ConversationStatus
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_a_status_is_its_stored_string():
    assert [s.value for s in S] == ["bot", "waiting_for_agent", "agent", "resolved", "closed"]
    assert S.WAITING_FOR_AGENT == "waiting_for_agent" and "agent" == S.AGENT and S("resolved") is S.RESOLVED
    assert str(S.AGENT) == "agent" and f"{S.BOT}" == "bot" and json.dumps({"status": S.WAITING_FOR_AGENT}) == '{"status": "waiting_for_agent"}'
    assert "bot" in frozenset({S.BOT}) and {S.AGENT: 1}["agent"] == 1


def test_the_allowed_changes():
    assert set(TRANSITIONS) == set(S)
    assert may_become("bot", S.WAITING_FOR_AGENT) and may_become(S.WAITING_FOR_AGENT, S.AGENT)
    assert may_become("agent", S.BOT) and may_become("agent", S.RESOLVED) and may_become("resolved", S.WAITING_FOR_AGENT)
    assert not may_become("waiting_for_agent", S.BOT)  # only an agent hands a conversation back
    assert not may_become("resolved", S.AGENT) and not may_become("resolved", S.RESOLVED)
    assert not may_become("agent", S.WAITING_FOR_AGENT) and not may_become("waiting_for_agent", S.WAITING_FOR_AGENT)
    assert not may_become("no-such-status", S.BOT)
    assert set(sources_of(S.AGENT)) == set(S) - {S.RESOLVED}


def test_a_change_not_allowed_is_refused_with_a_clear_error():
    assert transition("bot", S.AGENT) is S.AGENT
    with pytest.raises(TransitionRefused, match="a conversation that is resolved cannot become agent"):
        transition("resolved", S.AGENT)
    with pytest.raises(ValueError, match="a conversation that is waiting_for_agent cannot become bot"):
        transition(S.WAITING_FOR_AGENT, S.BOT)


def _add(session, conversation_id: str, status: str, agent: str | None = None) -> Conversation:
    conversation = Conversation(id=conversation_id, status=status, agent_name=agent)
    session.add(conversation)
    session.flush()
    return conversation


def test_claims_follow_the_table(database_url):
    """Whichever status a conversation is in, a claim succeeds exactly where the table allows it."""
    with session_scope(database_url) as session:
        for status in S:
            _add(session, f"c-{status}", status, "kim" if status == S.AGENT else None)
    for status in S:
        with session_scope(database_url) as session:
            allowed = may_become(status, S.AGENT) and status != S.AGENT  # another agent's conversation stays theirs
            if allowed:
                assert handoff.claim(session, f"c-{status}", "sam").agent_name == "sam"
            else:
                with pytest.raises(handoff.HandoffConflict):
                    handoff.claim(session, f"c-{status}", "sam")
    with session_scope(database_url) as session:
        assert handoff.claim(session, f"c-{S.AGENT}", "kim").agent_name == "kim"  # its owner claims it again
        stored = dict(session.execute(select(Conversation.id, Conversation.status)).all())
    assert stored == {"c-bot": "agent", "c-waiting_for_agent": "agent", "c-agent": "agent", "c-resolved": "resolved", "c-closed": "agent"}
    assert all(type(value) is str for value in stored.values())


def test_hand_back_and_resolve_refuse_what_the_table_refuses(sqlite_url):
    with session_scope(sqlite_url) as session:
        waiting = _add(session, "waiting", "waiting_for_agent")
        with pytest.raises(handoff.HandoffConflict, match="only a conversation an agent owns can be handed back"):
            handoff.hand_back(waiting, "sam")
        owned = _add(session, "owned", "agent", "kim")
        with pytest.raises(handoff.HandoffConflict, match="kim owns this conversation"):
            handoff.hand_back(owned, "sam")
        handoff.hand_back(owned, "sam", is_admin=True)
        assert (owned.status, owned.agent_name) == ("bot", None)
        handoff.resolve(waiting, "sam", "retained", NOW)
        assert (waiting.status, waiting.outcome, waiting.resolved_by) == ("resolved", "retained", "sam")
        with pytest.raises(handoff.HandoffConflict, match="already resolved"):
            handoff.resolve(waiting, "sam", "lost", NOW)
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(Conversation.status).where(Conversation.id == "waiting")) == "resolved"

