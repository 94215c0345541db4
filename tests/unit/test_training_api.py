"""The trainers' console API: the NLU inbox, flags and sentiment corrections, model versions, retrain jobs, rollback.
Rasa is faked at its boundary; no training process is started."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from console.app import create_app
from kizuna.db.engine import session_scope
from kizuna.db.models import AuditEntry, Message, TurnAnalysis
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from kizuna.training import jobs, registry
from tests.unit.test_console_api import FakeRasa, add_user, log_in, post


@pytest.fixture
def client(app_env, tmp_path):
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as test_client:
        add_user(app_env, "tess", "tess-password", "trainer")
        add_user(app_env, "sam", "sam-password", "agent")
        yield test_client


def add_turn(url, text, intent, confidence, ranking=(), conversation_id="conv-1", message_id=None):
    with session_scope(url) as session:
        turn = TurnAnalysis(conversation_id=conversation_id, turn_key=f"k-{text[:40]}", text=text, intent=intent,
                            confidence=confidence, intent_ranking=list(ranking), message_id=message_id, sentiment_label="neutral")
        session.add(turn)
        session.flush()
        return turn.id


def audit_actions(url):
    with session_scope(url) as session:
        return [(e.username, e.action) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
                if e.action not in ("login", "logout")]


def inbox(client, **params):
    response = client.get("/api/training/inbox", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_unsure_and_fallback_turns_reach_the_inbox_and_a_bulk_relabel_clears_it(client, app_env):
    unsure = add_turn(app_env, "wheres my parcel at", "track_refund", 0.45,
                      [{"name": "track_refund", "confidence": 0.45}, {"name": "track_order", "confidence": 0.4}])
    fell_back = add_turn(app_env, "parcel ghost?? <b>", "nlu_fallback", 0.3, [{"name": "track_order", "confidence": 0.22}])
    add_turn(app_env, "where is my order", "track_order", 0.97)
    add_turn(app_env, "/greet", "greet", 0.1)  # a button payload, not something a customer wrote
    log_in(client, "tess", "tess-password")
    items = inbox(client)
    assert [(i["turn_id"], i["reason"], i["status"]) for i in items] == [(fell_back, "fallback", "pending"),
                                                                       (unsure, "low_confidence", "pending")]
    assert items[0]["text"] == "parcel ghost?? <b>" and items[1]["guesses"][1] == {"name": "track_order", "confidence": 0.4}
    assert [i["turn_id"] for i in inbox(client, reason="fallback")] == [fell_back]
    assert len(inbox(client)) == 2  # collecting twice queues nothing twice
    intents = client.get("/api/training/intents").json()
    assert "track_order" in intents["intents"] and intents["intents"] == sorted(intents["intents"]) and intents["new_intents"] == []

    ids = [i["id"] for i in items]
    response = client.post("/api/training/inbox/review", json={"ids": ids, "action": "relabel", "intent": "track_order"})
    assert response.status_code == 200 and response.json() == {"changed": 2, "action": "relabel", "intent": "track_order"}
    assert inbox(client) == []
    relabelled = inbox(client, status="relabelled")
    assert {(i["turn_id"], i["intent"], i["reviewed_by"]) for i in relabelled} == {(unsure, "track_order", "tess"),
                                                                                 (fell_back, "track_order", "tess")}
    client.post("/api/training/inbox/review", json={"ids": [relabelled[0]["id"]], "action": "relabel", "intent": "where_is_parcel"})
    assert client.get("/api/training/intents").json()["new_intents"] == ["where_is_parcel"]
    assert ("tess", "review") in audit_actions(app_env)


@pytest.mark.parametrize("body, fragment", [
    ({"ids": [1], "action": "relabel", "intent": "Track Order!"}, "intent name"),
    ({"ids": [1], "action": "relabel"}, "intent name"),
    ({"ids": [1], "action": "confirm"}, "fell back"),
    ({"ids": [], "action": "dismiss"}, "ids"),
    ({"ids": list(range(1, 502)), "action": "dismiss"}, "ids"),
    ({"ids": [0], "action": "dismiss"}, "ids"),
    ({"ids": [1], "action": "burn"}, "action"),
])
def test_bad_reviews_are_a_422_and_change_nothing(client, app_env, body, fragment):
    add_turn(app_env, "blorp zzz", "nlu_fallback", 0.2)
    log_in(client, "tess", "tess-password")
    assert len(inbox(client)) == 1
    response = client.post("/api/training/inbox/review", json=body)
    assert response.status_code == 422 and fragment in response.json()["error"]["message"]
    assert len(inbox(client)) == 1


def test_the_inbox_and_models_are_for_trainers_and_admins(client, app_env):
    assert client.get("/api/training/inbox").status_code == 401
    log_in(client, "sam", "sam-password")
    response = client.get("/api/training/inbox")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert client.get("/api/training/models").status_code == 403
    assert client.post("/api/training/jobs", json={"kind": "nlu"}).status_code == 403
    assert client.get("/training", follow_redirects=False).status_code == 403
    client.delete("/api/session")
    log_in(client, "tess", "tess-password")
    for page, script in (("/training", "inbox.js"), ("/models", "models.js")):
        response = client.get(page)
        assert response.status_code == 200 and f'<script src="/static/{script}">' in response.text
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert client.get(f"/static/{script}").status_code == 200
    assert client.get("/api/training/inbox", params={"status": "<script>"}).status_code == 422


def test_an_agent_flags_a_turn_and_corrects_its_sentiment(client, app_env):
    assert post(client, "cancel it, i'm done with you").status_code == 200
    with session_scope(app_env) as session:
        message_id = session.scalar(select(Message.id).where(Message.sender == "customer"))
    turn = add_turn(app_env, "cancel it, i'm done with you", "cancel_order", 0.97, message_id=message_id)
    log_in(client, "sam", "sam-password")
    flagged = client.post(f"/api/training/turns/{turn}/flag")
    assert flagged.status_code == 200 and flagged.json()["status"] == "pending" and flagged.json()["reason"] == "flagged"
    assert client.post("/api/training/turns/99999/flag").status_code == 404
    assert client.post(f"/api/training/turns/{turn}/sentiment", json={"label": "furious"}).status_code == 422
    assert client.post("/api/training/turns/99999/sentiment", json={"label": "negative"}).status_code == 404
    corrected = client.post(f"/api/training/turns/{turn}/sentiment", json={"label": "negative"})
    assert corrected.status_code == 200
    assert corrected.json() == {"turn_id": turn, "label": "negative", "model_label": "neutral", "corrected_by": "sam"}
    analysis = client.get("/api/agent/conversations/conv-1").json()["transcript"][0]["analysis"]
    assert analysis["turn_id"] == turn and analysis["sentiment_corrected"] == "negative" and analysis["nlu_review"] == "pending"
    assert audit_actions(app_env) == [("sam", "flag_turn"), ("sam", "correct_sentiment")]
    client.delete("/api/session")
    log_in(client, "tess", "tess-password")
    items = inbox(client, reason="flagged")
    assert [(i["turn_id"], i["flagged_by"], i["predicted_intent"]) for i in items] == [(turn, "sam", "cancel_order")]


def test_one_retrain_of_a_kind_at_a_time(client, app_env, monkeypatch):
    launched = []
    monkeypatch.setattr(jobs, "launch", lambda settings, job: launched.append((job.id, job.kind, job.options)))
    log_in(client, "tess", "tess-password")
    first = client.post("/api/training/jobs", json={"kind": "nlu", "force": True})
    assert first.status_code == 201
    job = first.json()
    assert job["status"] == "queued" and job["started_by"] == "tess" and job["progress"] == 0.0
    again = client.post("/api/training/jobs", json={"kind": "nlu"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "job_running"
    assert client.post("/api/training/jobs", json={"kind": "sentiment"}).status_code == 201
    assert launched == [(job["id"], "nlu", {"force": True}), (job["id"] + 1, "sentiment", {"force": False})]
    assert client.get(f"/api/training/jobs/{job['id']}").json()["kind"] == "nlu"
    assert [j["kind"] for j in client.get("/api/training/jobs").json()["jobs"]] == ["sentiment", "nlu"]
    assert [j["id"] for j in client.get("/api/training/jobs", params={"kind": "nlu"}).json()["jobs"]] == [job["id"]]
    assert client.get("/api/training/jobs/9999").status_code == 404
    assert client.post("/api/training/jobs", json={"kind": "gpt"}).status_code == 422
    assert [a for _, a in audit_actions(app_env)] == ["retrain", "retrain"]


def test_a_training_process_that_cannot_start_fails_its_job(client, monkeypatch):
    def broken(settings, job):
        raise OSError("no such interpreter")

    monkeypatch.setattr(jobs, "launch", broken)
    log_in(client, "tess", "tess-password")
    job = client.post("/api/training/jobs", json={"kind": "nlu"}).json()
    assert job["status"] == "failed" and "no such interpreter" in job["error"]
    assert client.post("/api/training/jobs", json={"kind": "nlu"}).status_code == 201  # a failed job does not block the next


def test_versions_are_listed_and_rollback_needs_an_earlier_one(client, app_env):
    with session_scope(app_env) as session:
        registry.promote(session, registry.record(session, "nlu", "assistant-1", "/models/a1.tar.gz",
                                                  metrics={"all": {"accuracy": 0.9, "macro_f1": 0.88}}))
    log_in(client, "tess", "tess-password")
    versions = client.get("/api/training/models", params={"kind": "nlu"}).json()["versions"]
    assert [(v["version"], v["status"], v["metrics"]["all"]["accuracy"]) for v in versions] == [("assistant-1", "active", 0.9)]
    assert client.get("/api/training/models", params={"kind": "sentiment"}).json() == {"versions": []}
    for kind in ("nlu", "sentiment"):
        response = client.post(f"/api/training/models/{kind}/rollback")
        assert response.status_code == 409 and response.json()["error"]["code"] == "no_earlier_model"
    assert client.post("/api/training/models/churn/rollback").status_code == 422
    assert audit_actions(app_env) == []
