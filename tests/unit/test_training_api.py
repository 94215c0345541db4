"""The trainers' console API: the NLU inbox, flags and sentiment corrections, model versions, retrain jobs, rollback.
Rasa is faked at its boundary; no training process is started."""

from __future__ import annotations

import io
import json
import tarfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from console.app import create_app
from kizuna.rasa_client import RasaUnavailable
from retraining import nlu_models as nlu
from kizuna.db.engine import session_scope
from kizuna.db.models import AuditEntry, Message, TurnAnalysis
from kizuna.db.turns import conversation_for
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from retraining import jobs, registry
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
        conversation_for(session, conversation_id)
        message = session.get(Message, message_id) if message_id is not None else Message(
            conversation_id=conversation_id, direction="in", sender="customer", text=text)
        turn = TurnAnalysis(conversation_id=conversation_id, turn_key=f"k-{text[:40]}", intent=intent,
                            confidence=confidence, intent_ranking=list(ranking), message=message, sentiment_label="neutral")
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
    assert analysis["feeling"] is None  # no score stored for this turn
    with session_scope(app_env) as session:
        session.get(TurnAnalysis, turn).sentiment_score = -0.5
    assert client.get("/api/agent/conversations/conv-1").json()["transcript"][0]["analysis"]["feeling"] == "annoyed"
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


def groups(client, **params):
    response = client.get("/api/training/inbox/groups", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_message_repeated_forty_times_is_one_row_and_one_review_covers_them_all(client, app_env):
    for n in range(40):
        add_turn(app_env, f"Where is order {10400 + n}??" if n % 2 else f"where is order {10400 + n}", "track_order", 0.4 + n / 1000,
                 conversation_id=f"conv-{n % 7}")
    add_turn(app_env, "blorp zzz", "nlu_fallback", 0.2)
    log_in(client, "tess", "tess-password")
    page = groups(client)
    assert (page["total_groups"], page["total_messages"]) == (2, 41)
    orders, blorp = page["groups"]
    assert (orders["count"], orders["conversations"], orders["predicted_intent"]) == (40, 7, "track_order")
    assert orders["variant_count"] == 40 and len(orders["variants"]) == 5 and len(orders["members"]) == 20
    assert blorp["count"] == 1 and len(inbox(client)) == 41  # the flat list stays as it was
    assert [g["group"] for g in groups(client, offset=1, limit=1)["groups"]] == [blorp["group"]]
    assert groups(client, reason="flagged")["groups"] == []

    response = client.post("/api/training/inbox/groups/review", json={"groups": [orders["group"]], "action": "relabel",
                                                                      "intent": "track_order"})
    assert response.status_code == 200, response.text
    assert response.json() == {"changed": 40, "groups": 1, "missing": 0, "action": "relabel", "intent": "track_order",
                               "intents": ["track_order"]}
    assert [g["text"] for g in groups(client)["groups"]] == ["blorp zzz"]
    relabelled = groups(client, status="relabelled")["groups"]
    assert [(g["count"], g["intent"], g["reviewed_by"]) for g in relabelled] == [(40, "track_order", ["tess"])]
    assert ("tess", "review") in audit_actions(app_env)
    confirm = client.post("/api/training/inbox/groups/review", json={"groups": [blorp["group"]], "action": "confirm"})
    assert confirm.status_code == 422 and "fell back" in confirm.json()["error"]["message"]
    again = client.post("/api/training/inbox/groups/review", json={"groups": [orders["group"]], "action": "confirm",
                                                                   "status": "relabelled"})
    assert again.json() == {"changed": 40, "groups": 1, "missing": 0, "action": "confirm", "intent": "track_order",
                            "intents": ["track_order"]}
    assert groups(client, status="confirmed")["total_messages"] == 40


@pytest.mark.parametrize("body", [
    {"groups": [], "action": "dismiss"},
    {"groups": ["0" * 16] * 201, "action": "dismiss"},
    {"groups": ["not-a-group-id!!"], "action": "dismiss"},
    {"groups": ["0" * 16], "action": "burn"},
    {"groups": ["0" * 16], "action": "dismiss", "status": "<script>"},
    {"groups": ["0" * 16], "action": "dismiss", "reason": "because"},
    {"groups": ["0" * 16], "action": "relabel", "intent": "Track Order!"},
])
def test_bad_group_reviews_are_a_422(client, app_env, body):
    add_turn(app_env, "blorp zzz", "nlu_fallback", 0.2)
    log_in(client, "tess", "tess-password")
    body = {**body, "groups": body["groups"] if body["groups"] != ["0" * 16] else [groups(client)["groups"][0]["group"]]}
    assert client.post("/api/training/inbox/groups/review", json=body).status_code == 422
    assert groups(client)["total_messages"] == 1


def test_grouped_inbox_and_group_reviews_are_for_trainers_and_admins(client, app_env):
    add_turn(app_env, "blorp zzz", "nlu_fallback", 0.2)
    review = {"groups": ["0" * 16], "action": "dismiss"}
    assert client.get("/api/training/inbox/groups").status_code == 401
    assert client.post("/api/training/inbox/groups/review", json=review).status_code in (401, 403)
    log_in(client, "sam", "sam-password")
    assert client.get("/api/training/inbox/groups").status_code == 403
    assert client.post("/api/training/inbox/groups/review", json=review).status_code == 403
    client.delete("/api/session")
    add_user(app_env, "ada", "ada-password", "admin")
    log_in(client, "ada", "ada-password")
    assert groups(client)["total_messages"] == 1
    client.headers.pop("X-CSRF-Token")
    refused = client.post("/api/training/inbox/groups/review", json=review)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    for bad in ({"offset": -1}, {"limit": 0}, {"limit": 201}, {"status": "<b>"}):
        assert client.get("/api/training/inbox/groups", params=bad).status_code == 422


def context_of(client, review_id, **params):
    return client.get(f"/api/training/inbox/{review_id}/context", params=params)


def _conversation_in_the_inbox(client, app_env):
    """Three customer turns through the console (the fake bot echoes them, the first with an e-mail address);
    the second is in the inbox. Its review id."""
    for index, text in enumerate(["hi, I'm jane.doe@example.org", "wheres my parcel <img src=x onerror=alert(1)>", "thanks"]):
        assert post(client, text, client_id=f"m-{index}").status_code == 200
    with session_scope(app_env) as session:
        message_id = session.scalars(select(Message.id).where(Message.sender == "customer").order_by(Message.id)).all()[1]
    add_turn(app_env, "wheres my parcel <img src=x onerror=alert(1)>", "nlu_fallback", 0.2, message_id=message_id)
    log_in(client, "tess", "tess-password")
    return groups(client)["groups"][0]["members"][0]["id"]


def test_the_conversation_around_an_inbox_message_with_personal_data_masked(client, app_env):
    review_id = _conversation_in_the_inbox(client, app_env)
    response = context_of(client, review_id)
    assert response.status_code == 200, response.text
    around = response.json()
    assert around["conversation_id"] == "conv-1" and around["review_id"] == review_id
    texts = [(m["sender"], m["text"], m["focus"]) for m in around["messages"]]
    assert texts[:4] == [("customer", "hi, I'm customer@example.com", False), ("bot", "echo: hi, I'm customer@example.com", False),
                         ("bot", "Shall I?", False), ("customer", "wheres my parcel <img src=x onerror=alert(1)>", True)]
    assert texts[-1] == ("bot", "Shall I?", False) and len(texts) == 9
    assert not any("jane.doe" in m["text"] for m in around["messages"])
    assert set(around["messages"][0]) == {"sender", "text", "at", "focus", "intent", "confidence"}  # no originals, no payloads
    assert [m["text"] for m in context_of(client, review_id, before=0, after=0).json()["messages"]] == [
        "wheres my parcel <img src=x onerror=alert(1)>", "echo: wheres my parcel <img src=x onerror=alert(1)>", "Shall I?"]
    assert context_of(client, 99999).status_code == 404
    for bad in ({"before": 6}, {"after": -1}, {"before": "all"}):
        assert context_of(client, review_id, **bad).status_code == 422
    assert client.get("/api/training/inbox/0/context").status_code == 422
    assert client.get("/api/training/inbox/abc/context").status_code in (404, 422)
    assert audit_actions(app_env) == []  # reading changes nothing


def test_an_agent_or_an_anonymous_caller_cannot_read_the_context(client, app_env):
    review_id = _conversation_in_the_inbox(client, app_env)
    client.delete("/api/session")
    client.headers.pop("X-CSRF-Token", None)
    anonymous = context_of(client, review_id)
    assert anonymous.status_code == 401 and "wheres my parcel" not in anonymous.text
    log_in(client, "sam", "sam-password")
    agent = context_of(client, review_id)
    assert agent.status_code == 403 and agent.json()["error"]["code"] == "forbidden" and "parcel" not in agent.text
    client.cookies.clear()
    client.cookies.set("kizuna_session", "forged-session-value")
    assert context_of(client, review_id).status_code == 401


class RasaServing(FakeRasa):
    """A rasa server that says which model file it serves (None: it does not answer)."""

    def __init__(self, model_file="fake.tar.gz"):
        super().__init__()
        self.model_file = model_file

    async def status(self):
        if self.model_file is None:
            raise RasaUnavailable("connection refused")
        return {"model_id": "x", "model_file": self.model_file}


@pytest.fixture
def rasa_serving():
    return RasaServing()


@pytest.fixture
def models_client(app_env, tmp_path, rasa_serving):
    """A console whose models live in an empty directory of their own."""
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1, models_dir=tmp_path / "models")
    with TestClient(create_app(settings, rasa=rasa_serving)) as test_client:
        add_user(app_env, "tess", "tess-password", "trainer")
        add_user(app_env, "sam", "sam-password", "agent")
        log_in(test_client, "tess", "tess-password")
        yield test_client, settings


def serving_models(client, **params):
    response = client.get("/api/training/models/serving", params=params)
    assert response.status_code == 200, response.text
    return {model["kind"]: model for model in response.json()["models"]}


def rasa_model(path, trained_at="2026-12-01T10:00:00+00:00"):
    """A file shaped like a rasa model: a gzipped tar with the components first and metadata.json last."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, content in (("components/train_DIETClassifier0/weights.bin", b"\0" * 4096),
                              ("metadata.json", json.dumps({"trained_at": trained_at,
                                                            "rasa_open_source_version": "3.6.20"}).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


def test_with_no_model_trained_the_page_says_so(models_client):
    client, _ = models_client
    models = serving_models(client)
    assert set(models) == {"nlu", "sentiment"}
    assert models["nlu"]["version"] is None and "No model has been trained yet" in models["nlu"]["note"]
    assert models["sentiment"]["version"] is None and "No sentiment model" in models["sentiment"]["note"]
    assert list(serving_models(client, kind="sentiment")) == ["sentiment"]
    assert client.get("/api/training/models/serving", params={"kind": "churn"}).status_code == 422


def test_the_model_setup_trained_is_shown_with_its_held_out_figures_once_evaluated(models_client, rasa_serving):
    client, settings = models_client
    model = rasa_model(nlu.model_path_for(settings, nlu.training_fingerprint(settings)))
    version = model.name.removesuffix(".tar.gz")
    shown = serving_models(client, kind="nlu")["nlu"]
    assert (shown["version"], shown["file"], shown["chosen"]) == (version, f"models/rasa/{model.name}", "current_data")
    assert shown["trained_at"] == "2026-12-01T10:00:00+00:00" and shown["rasa_version"] == "3.6.20"
    assert shown["figures"] == [] and shown["registered"] is None  # not evaluated yet; no retrain registered it
    assert shown["evaluation_file"] == f"models/rasa/{version}.eval.json"
    assert shown["running"] == {"answered": True, "model_file": "fake.tar.gz"} and "serves fake.tar.gz" in shown["note"]
    assert client.get("/api/training/models", params={"kind": "nlu"}).json() == {"versions": []}

    report = {"dev": {"accuracy": 0.861, "macro_f1": 0.874, "n": 162}, "test": {"accuracy": 0.85, "macro_f1": 0.86, "n": 160}}
    (model.parent / f"{version}.eval.json").write_text(json.dumps(report))
    rasa_serving.model_file = str(model)
    shown = serving_models(client, kind="nlu")["nlu"]
    assert shown["figures"] == [{"name": "dev", "label": "held-out dev set", "accuracy": 0.861, "macro_f1": 0.874, "n": 162},
                                {"name": "test", "label": "locked test set", "accuracy": 0.85, "macro_f1": 0.86, "n": 160}]
    assert shown["note"] is None and shown["running"]["model_file"] == model.name

    rasa_serving.model_file = None
    (model.parent / f"{version}.eval.json").write_text(json.dumps(
        {"dev": {"accuracy": "<script>alert(1)</script>", "macro_f1": 7, "n": -3}, "test": {"accuracy": 0.5, "n": True}}))
    shown = serving_models(client, kind="nlu")["nlu"]
    assert shown["figures"] == [{"name": "test", "label": "locked test set", "accuracy": 0.5, "macro_f1": None, "n": None}]
    assert shown["running"] == {"answered": False, "model_file": None}
    (model.parent / f"{version}.eval.json").write_text("{not json")
    shown = serving_models(client, kind="nlu")["nlu"]
    assert shown["figures"] == [] and "could not be read" in shown["note"]


def test_a_promoted_nlu_version_serves_with_its_registry_entry(models_client, app_env):
    client, settings = models_client
    rasa_model(settings.rasa_model_dir / "assistant-old.tar.gz")
    promoted = rasa_model(settings.rasa_model_dir / "assistant-retrained.tar.gz")
    with session_scope(app_env) as session:
        registry.promote(session, registry.record(session, "nlu", "assistant-retrained", str(promoted),
                                                  metrics={"all": {"accuracy": 0.9, "macro_f1": 0.88}}))
    shown = serving_models(client, kind="nlu")["nlu"]
    assert (shown["version"], shown["chosen"], shown["registered"]["status"]) == ("assistant-retrained", "promoted", "active")


def test_the_installed_sentiment_model_is_shown_from_its_model_card(models_client, app_env):
    client, settings = models_client
    settings.sentiment_model_dir.mkdir(parents=True)
    card = {"version": "minilm-3c-20261201-abcd1234", "trained_at": "2026-12-01T09:00:00+00:00", "training_seconds": 301.5,
            "train_examples": 1200, "heldout_examples": 400, "heldout_metrics": {"accuracy": 0.8, "macro_f1": 0.78, "n": 400}}
    (settings.sentiment_model_dir / "model_card.json").write_text(json.dumps(card))
    shown = serving_models(client, kind="sentiment")["sentiment"]
    assert (shown["version"], shown["file"], shown["chosen"]) == (card["version"], "models/sentiment", "installed")
    assert (shown["trained_at"], shown["training_seconds"], shown["train_examples"]) == (card["trained_at"], 301.5, 1200)
    assert shown["figures"] == [{"name": "heldout", "label": "held-out set", "accuracy": 0.8, "macro_f1": 0.78, "n": 400}]
    assert shown["registered"] is None and "running" not in shown
    with session_scope(app_env) as session:
        registry.promote(session, registry.record(session, "sentiment", card["version"], str(settings.sentiment_model_dir)))
    shown = serving_models(client, kind="sentiment")["sentiment"]
    assert shown["chosen"] == "promoted" and shown["registered"]["status"] == "active"


def test_the_serving_models_are_for_trainers_and_admins(models_client):
    client, _ = models_client
    client.delete("/api/session")
    assert client.get("/api/training/models/serving").status_code == 401
    log_in(client, "sam", "sam-password")
    assert client.get("/api/training/models/serving").status_code == 403
