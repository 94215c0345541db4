"""Ratings of conversations: asked once, stored once, comments masked and erased, CSAT per day."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from kizuna import erasure
from kizuna.db import conversations as store
from kizuna.db import ratings
from kizuna.db.engine import session_scope
from kizuna.db.models import AuditEntry, ConversationRating

TODAY = date(2026, 12, 7)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 12, day, hour, tzinfo=timezone.utc)


def conversation(url: str, conversation_id: str, customer: str | None = None, *, asked: bool = True, agent: bool = False) -> None:
    """A conversation with a customer message; asked to rate it (by the bot), handled by an agent if `agent`."""
    with session_scope(url) as session:
        store.store_inbound(session, conversation_id, "where is my order?", f"{conversation_id}-1", customer)
        if agent:
            session.add(AuditEntry(username="sam", action="take", conversation_id=conversation_id))
        if asked:
            ratings.request_rating(session, conversation_id, "bot")


def rate(url: str, conversation_id: str, score: int, comment: str | None = None, when: datetime | None = None):
    with session_scope(url) as session:
        rating = ratings.record_rating(session, conversation_id, score, comment, when)
        return rating.handled_by, rating.comment


def test_a_requested_rating_is_stored_once_with_who_handled_the_conversation(app_env):
    conversation(app_env, "bot-only")
    conversation(app_env, "with-agent", agent=True)
    assert rate(app_env, "bot-only", 5) == ("bot", None)
    assert rate(app_env, "with-agent", 2, "slow") == ("agent", "slow")
    with pytest.raises(ratings.AlreadyRated):
        rate(app_env, "bot-only", 1)
    with session_scope(app_env) as session:
        assert session.scalars(select(ConversationRating.score).where(ConversationRating.conversation_id == "bot-only")).all() == [5]


def test_a_conversation_nobody_asked_cannot_be_rated(app_env):
    conversation(app_env, "not-asked", asked=False)
    with pytest.raises(ratings.RatingNotRequested):
        rate(app_env, "not-asked", 5)
    with pytest.raises(ratings.RatingNotRequested):
        rate(app_env, "no-such-conversation", 5)
    with session_scope(app_env) as session:
        assert session.scalar(select(func.count()).select_from(ConversationRating)) == 0


@pytest.mark.parametrize("score", [0, 6, -1, True, 4.0, "4"])
def test_a_score_outside_1_to_5_is_refused(app_env, score):
    conversation(app_env, "c")
    with pytest.raises(ValueError):
        rate(app_env, "c", score)


def test_the_comment_is_masked_like_customer_messages(app_env):
    conversation(app_env, "c", "C0001")
    _, comment = rate(app_env, "c", 2, "write to me at jane.doe@example.org or +44 7700 900123")
    assert "jane.doe" not in comment and "7700" not in comment and "customer@example.com" in comment


def test_the_bot_asks_once_and_not_after_a_rating(app_env):
    conversation(app_env, "c", asked=False)
    with session_scope(app_env) as session:
        assert ratings.should_request_rating(session, "c")
        ratings.request_rating(session, "c", "bot")
        assert not ratings.should_request_rating(session, "c") and ratings.rating_requested(session, "c")
    rate(app_env, "c", 4)
    with session_scope(app_env) as session:
        assert ratings.request_rating(session, "c") is None  # an agent closing a rated conversation asks no more


def test_erasing_the_customer_erases_their_comments_and_keeps_the_scores(app_env, tmp_path):
    conversation(app_env, "jane", "C0001")
    conversation(app_env, "other", "C0002")
    rate(app_env, "jane", 1, "I'm Jane Doe, jane@example.org")
    rate(app_env, "other", 5, "great")
    with session_scope(app_env) as session:
        counts = erasure.erase_customer(session, "C0001", "dpo", lambda ids: 0)
    assert counts["rating_comments"] == 1
    with session_scope(app_env) as session:
        rows = {r.conversation_id: (r.score, r.comment, r.comment_original_encrypted) for r in session.scalars(select(ConversationRating))}
    assert rows == {"jane": (1, "[erased]", None), "other": (5, "great", None)}


def test_csat_per_day_is_the_share_of_4_and_5_split_bot_only_and_agent_handled(app_env):
    for name, agent, score, day in [("a", False, 5, 6), ("b", False, 3, 6), ("c", True, 4, 6), ("d", True, 1, 7),
                                    ("e", False, 4, 7), ("old", False, 1, 1)]:
        conversation(app_env, name, agent=agent)
        rate(app_env, name, score, when=at(day))
    with session_scope(app_env) as session:
        report = ratings.csat_by_day(session, 2, TODAY)
    assert [row["day"] for row in report["by_day"]] == ["2026-12-06", "2026-12-07"]
    sixth, seventh = report["by_day"]
    assert (sixth["ratings"], sixth["satisfied"], sixth["csat"], sixth["average"]) == (3, 2, 0.6667, 4.0)
    assert sixth["bot"] == {"ratings": 2, "satisfied": 1, "csat": 0.5, "average": 4.0}
    assert sixth["agent"] == {"ratings": 1, "satisfied": 1, "csat": 1.0, "average": 4.0}
    assert seventh["agent"] == {"ratings": 1, "satisfied": 0, "csat": 0.0, "average": 1.0}
    assert report["totals"]["all"] == {"ratings": 5, "satisfied": 3, "csat": 0.6, "average": 3.4}  # the 1st is outside
    assert report["totals"]["bot"]["ratings"] == 3 and report["totals"]["agent"]["ratings"] == 2


def test_a_day_without_ratings_has_no_csat(app_env):
    with session_scope(app_env) as session:
        report = ratings.csat_by_day(session, 1, TODAY)
    assert report["by_day"] == [{"day": "2026-12-07", "ratings": 0, "satisfied": 0, "csat": None, "average": None,
                                 "bot": {"ratings": 0, "satisfied": 0, "csat": None, "average": None},
                                 "agent": {"ratings": 0, "satisfied": 0, "csat": None, "average": None}}]


def ending(url, conversation_id, intent, status="bot", said_before=("which payment methods do you take?",), bot_said=None,
           bot_metadata=None):
    """What action_answer says to `intent` in a conversation the console opened (status as given), after the
    customer's messages `said_before` (stored) and the bot's last message `bot_said`."""
    from kizuna.db import conversations as store
    from kizuna.db.models import Conversation
    from tests.unit.test_actions import make_tracker, run
    from actions.answers import ActionAnswer

    with session_scope(url) as session:
        if session.get(Conversation, conversation_id) is None:
            session.add(Conversation(id=conversation_id, status=status))
            session.flush()
            for number, text in enumerate([*said_before, "no thanks, that's all"]):
                store.store_inbound(session, conversation_id, text, f"{conversation_id}-{number}", None)
    tracker = make_tracker("no thanks, that's all", intent, sender=conversation_id)
    if bot_said is not None:
        tracker.events.insert(0, {"event": "bot", "text": bot_said, "metadata": bot_metadata or {}})
    messages, _ = run(ActionAnswer(), tracker)
    return messages


def test_the_bot_asks_for_a_rating_after_a_no_or_a_goodbye_once(app_env):
    said = ending(app_env, "c", "deny")
    assert [m.get("custom") or None for m in said] == [None, {"rating": True}]
    assert said[0]["text"].startswith("Alright") and said[1]["text"] == ratings.RATING_QUESTION
    assert ending(app_env, "g", "goodbye")[-1]["custom"] == {"rating": True}
    with session_scope(app_env) as session:  # the console stores the request it got
        ratings.request_rating(session, "c", "bot")
    assert [m.get("custom") or None for m in ending(app_env, "c", "goodbye")] == [None]


def test_a_chat_that_is_only_its_goodbye_is_not_asked(app_env):
    assert [m.get("custom") or None for m in ending(app_env, "only-bye", "goodbye", said_before=())] == [None]


def test_a_no_after_the_bot_did_not_understand_does_not_end_the_chat(app_env):
    from kizuna.shop import get_shop_config

    said = ending(app_env, "misunderstood", "deny", bot_said=get_shop_config().answer("nlu_fallback"))
    assert [m["text"] for m in said] == [get_shop_config().answer("deny")]  # "anything else?", and no rating yet
    rasa_said = ending(app_env, "no-rule", "deny", bot_said="Sorry, I didn't quite get that. Could you rephrase it?",
                       bot_metadata={"utter_action": "utter_default"})  # Rasa's own fallback, when no rule applied
    assert [m["text"] for m in rasa_said] == [get_shop_config().answer("deny")]


def test_the_bot_does_not_ask_mid_conversation_or_while_a_person_is_coming(app_env):
    assert len(ending(app_env, "c", "greet")) == 1
    assert len(ending(app_env, "w", "goodbye", status="waiting_for_agent")) == 1
    from actions.rating_request import rating_wanted

    assert not rating_wanted("no-such-conversation")
