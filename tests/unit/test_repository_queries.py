"""The repository queries the turn core, retraining, actions and demo shop call."""

from datetime import datetime, timedelta, timezone

from kizuna.db import conversations, customer_list, handoff, model_versions, retention_records, reviews, training_jobs, turns
from kizuna.db.engine import session_scope
from kizuna.db.models import AuditEntry, Conversation, Customer, IntentReview, Message, ModelVersion, TrainingJob, TurnAnalysis

START = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def _conversation(session, conversation_id="c-1"):
    session.add(Conversation(id=conversation_id, status="bot"))
    texts = [("in", "customer", "hello", "bot_failed"), ("out", "bot", "hi", "stored"), ("in", "customer", "where is it", "stored"),
             ("out", "bot", "on its way", "stored"), ("in", "customer", "thanks", "unanswered")]
    messages = []
    for minute, (direction, sender, text, status) in enumerate(texts):
        message = Message(conversation_id=conversation_id, direction=direction, sender=sender, text=text, status=status,
                          created_at=START + timedelta(minutes=minute))
        session.add(message)
        messages.append(message)
    session.flush()
    return messages


def test_unanalysed_messages_and_turns_of_messages(sqlite_url):
    with session_scope(sqlite_url) as session:
        messages = _conversation(session)
        session.add(TurnAnalysis(conversation_id="c-1", turn_key="t-3", message_id=messages[2].id))
        session.flush()
        assert [m.id for m in turns.unanalysed_messages(session, ("bot_failed", "unanswered", "stored"), 10)] == [messages[0].id, messages[4].id]
        assert [m.id for m in turns.unanalysed_messages(session, ("bot_failed", "unanswered"), 1)] == [messages[0].id]
        assert [t.turn_key for t in turns.turns_of_messages(session, [m.id for m in messages])] == ["t-3"]
        assert turns.turns_of_messages(session, []) == []


def test_neighbouring_messages_and_customer_message_count(sqlite_url):
    with session_scope(sqlite_url) as session:
        messages = _conversation(session)
        ids = [m.id for m in messages]
        assert [m.id for m in conversations.earlier_messages(session, "c-1", ids[3], 2)] == [ids[2], ids[1]]
        assert [m.id for m in conversations.later_messages(session, "c-1", ids[1], 2)] == [ids[2], ids[3]]
        assert conversations.customer_message_count(session, "c-1") == 3
        assert conversations.customer_message_count(session, "nobody") == 0


def test_scores_and_turns_since_and_the_last_audited_action(sqlite_url):
    with session_scope(sqlite_url) as session:
        for index, score in enumerate([-0.8, None, 0.2, -0.4]):
            session.add(TurnAnalysis(conversation_id="c-1", turn_key=f"t-{index}", sentiment_score=score,
                                     created_at=START + timedelta(minutes=index)))
        session.add(AuditEntry(username="sam", action="release", conversation_id="c-1", at=START))
        session.add(AuditEntry(username="sam", action="release", conversation_id="c-1", at=START + timedelta(minutes=2)))
        session.add(AuditEntry(username="sam", action="take", conversation_id="c-1", at=START + timedelta(minutes=5)))
        session.flush()
        assert retention_records.sentiment_scores_since(session, "c-1", START) == [0.2, -0.4]
        assert retention_records.turns_since(session, "c-1", START) == 3
        assert retention_records.turns_since(session, "c-2", START) == 0
        released = handoff.last_audited_at(session, "c-1", "release")
        assert released.replace(tzinfo=timezone.utc) == START + timedelta(minutes=2)
        assert handoff.last_audited_at(session, "c-2", "release") is None


def test_review_with_turn(sqlite_url):
    with session_scope(sqlite_url) as session:
        turn = TurnAnalysis(conversation_id="c-1", turn_key="t-1")
        session.add(turn)
        session.flush()
        review = IntentReview(turn_analysis_id=turn.id, reason="fallback", split="train")
        session.add(review)
        session.flush()
        assert reviews.review_with_turn(session, review.id) == (review, turn)
        assert reviews.review_with_turn(session, review.id + 1) is None


def test_model_versions(sqlite_url):
    with session_scope(sqlite_url) as session:
        for version, status, promoted in [("v1", "retired", START), ("v2", "retired", START + timedelta(days=1)),
                                          ("v3", "active", START + timedelta(days=2)), ("v4", "refused", None)]:
            session.add(ModelVersion(kind="nlu", version=version, path=f"/models/{version}", status=status, promoted_at=promoted))
        session.add(ModelVersion(kind="sentiment", version="s1", path="/models/s1", status="active"))
        session.flush()
        assert model_versions.active_version(session, "nlu").version == "v3"
        assert model_versions.latest_retired(session, "nlu").version == "v2"
        assert model_versions.latest_retired(session, "sentiment") is None
        assert model_versions.find_version(session, "nlu", "v4").status == "refused"
        assert model_versions.find_version(session, "sentiment", "v4") is None
        assert [r.version for r in model_versions.version_history(session, "nlu")] == ["v4", "v3", "v2", "v1"]
        assert len(model_versions.version_history(session)) == 5
        assert len(model_versions.version_history(session, limit=2)) == 2


def test_job_in_status_and_customer_count(sqlite_url):
    with session_scope(sqlite_url) as session:
        assert customer_list.customer_count(session) == 0
        session.add(TrainingJob(kind="nlu", status="succeeded", started_by="sam"))
        session.add(TrainingJob(kind="sentiment", status="running", started_by="kim"))
        session.add(Customer(external_id="C-1", email="c1@example.com", name="C One"))
        session.flush()
        assert training_jobs.job_in_status(session, "nlu", ("queued", "running")) is None
        assert training_jobs.job_in_status(session, "sentiment", ("queued", "running")).started_by == "kim"
        assert customer_list.customer_count(session) == 1
