"""Rating a conversation through the console's API (Rasa replaced by a fake), and CSAT for staff only."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from console.app import create_app
from kizuna.rasa_client import BotReply, RasaClient
from kizuna.db import ratings
from kizuna.db.engine import session_scope
from kizuna.db.models import ConversationRating
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from tests.unit.test_console_api import FakeRasa, add_user, history, log_in, post, secret_header, token_for


class EndingRasa(FakeRasa):
    """Says goodbye and asks for a rating when the customer says bye, as action_answer does."""

    async def send(self, conversation_id, text, metadata, *, is_command=False):
        if text != "bye":
            return await super().send(conversation_id, text, metadata, is_command=is_command)
        return [BotReply(text="Thanks for visiting!"), BotReply(text=ratings.RATING_QUESTION, custom={"rating": True})]


@pytest.fixture
def client(app_env, tmp_path):
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=EndingRasa())) as test_client:
        yield test_client


def rate(client, conversation="conv-1", headers=None, **body):
    return client.post(f"/api/conversations/{conversation}/rating", json=body,
                       headers=secret_header(client, conversation) if headers is None else headers)


def stored_ratings(url) -> list[tuple]:
    with session_scope(url) as session:
        return [(r.conversation_id, r.score, r.comment, r.handled_by) for r in session.scalars(select(ConversationRating))]


def test_the_bot_asks_at_the_end_and_the_customer_rates_once(client, app_env):
    assert post(client, "hi").status_code == 200
    replies = post(client, "bye", client_id="m-2").json()["replies"]
    assert [r["kind"] for r in replies] == ["text", "rating"] and replies[1]["text"] == ratings.RATING_QUESTION
    assert history(client).json()["messages"][-1]["kind"] == "rating"  # it replays like any message
    assert client.get("/api/conversations/conv-1/rating", headers=secret_header(client)).json() == {
        "conversation_id": "conv-1", "requested": True, "rated": False, "score": None}

    response = rate(client, score=4, comment="  quick and friendly  ")
    assert response.status_code == 200, response.text
    assert response.json() == {"conversation_id": "conv-1", "requested": True, "rated": True, "score": 4}
    second = rate(client, score=1)
    assert second.status_code == 409 and second.json()["error"]["code"] == "already_rated"
    assert client.get("/api/conversations/conv-1/rating", headers=secret_header(client)).json()["rated"] is True
    assert stored_ratings(app_env) == [("conv-1", 4, "quick and friendly", "bot")]


def test_without_the_conversations_secret_a_rating_is_refused_like_a_message(client, app_env):
    post(client, "hi")
    post(client, "bye", client_id="m-2")
    post(client, "hello", conversation="conv-2")
    for headers in ({}, {"X-Conversation-Secret": "wrong"}, secret_header(client, "conv-2")):
        response = rate(client, headers=headers, score=5)
        assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_conversation"
        assert client.get("/api/conversations/conv-1/rating", headers=headers).status_code == 404
    assert rate(client, conversation="nobody", headers={}, score=5).status_code == 404
    assert stored_ratings(app_env) == []


@pytest.mark.parametrize("body", [{"score": 0}, {"score": 6}, {"score": "4"}, {"score": 4.5}, {"score": True}, {},
                                  {"score": 3, "comment": "x" * 1001}, {"score": 3, "comment": 7}])
def test_a_bad_score_or_comment_is_refused_and_nothing_is_stored(client, app_env, body):
    post(client, "hi")
    post(client, "bye", client_id="m-2")
    response = rate(client, **body)
    assert response.status_code == 422, response.text
    assert stored_ratings(app_env) == []
    assert rate(client, score=3, comment="x" * 1000).status_code == 200  # the limit itself is fine


def test_a_huge_body_is_refused_before_it_is_read(client, app_env):
    post(client, "hi")
    post(client, "bye", client_id="m-2")
    assert rate(client, score=3, comment="x" * 40_000).status_code == 413
    assert stored_ratings(app_env) == []


def test_a_conversation_nobody_asked_cannot_be_rated(client, app_env):
    post(client, "hi")
    response = rate(client, score=5)
    assert response.status_code == 409 and response.json()["error"]["code"] == "rating_not_requested"
    assert stored_ratings(app_env) == []


def test_a_signed_in_customers_conversation_needs_their_token(client, app_env, tmp_path):
    token = token_for(tmp_path, "C0001")
    post(client, "hi", customer_token=token)
    post(client, "bye", client_id="m-2", customer_token=token)
    assert rate(client, score=5).status_code == 401
    assert rate(client, score=5, customer_token="C0001:1:forged").status_code == 401
    mismatch = rate(client, score=5, customer_token=token_for(tmp_path, "C0002"))
    assert mismatch.status_code == 409 and mismatch.json()["error"]["code"] == "customer_mismatch"
    assert stored_ratings(app_env) == []
    assert rate(client, score=5, customer_token=token).status_code == 200


def test_resolving_asks_for_a_rating_counted_as_agent_handled(client, app_env):
    add_user(app_env, "sam", "sam-password", "agent")
    post(client, "I want a person")
    agent = TestClient(client.app)
    log_in(agent, "sam", "sam-password")
    assert agent.post("/api/agent/conversations/conv-1/take").status_code == 200
    with client.websocket_connect("/api/conversations/conv-1/live") as live:
        live.send_json({"type": "auth", "conversation_secret": secret_header(client)["X-Conversation-Secret"]})
        assert live.receive_json()["type"] == "hello"
        for _ in history(client).json()["messages"]:
            assert live.receive_json()["replay"] is True
        resolved = agent.post("/api/agent/conversations/conv-1/resolve", json={"outcome": "retained"})
        assert resolved.json() == {"conversation_id": "conv-1", "status": "resolved", "outcome": "retained"}
        frames = [live.receive_json() for _ in range(3)]
    assert frames[0]["type"] == "status" and frames[0]["status"] == "resolved"
    assert [f["message"]["kind"] for f in frames[1:]] == ["text", "rating"]  # the closing note, then the request
    asked = history(client).json()["messages"][-1]
    assert (asked["kind"], asked["sender"], asked["text"]) == ("rating", "system", ratings.RATING_QUESTION)
    assert rate(client, score=2, comment="mail me: jane.doe@example.org").status_code == 200
    assert stored_ratings(app_env) == [("conv-1", 2, "mail me: customer@example.com", "agent")]
    shown = agent.get("/api/agent/conversations/conv-1").json()["rating"]  # the agent sees it, masked like the messages
    assert (shown["score"], shown["comment"]) == (2, "mail me: customer@example.com")


def test_csat_is_for_staff_only(client, app_env):
    add_user(app_env, "tina", "tina-password", "trainer")
    post(client, "hi")
    post(client, "bye", client_id="m-2")
    rate(client, score=5)
    for path in ("/api/analytics/csat", "/api/analytics/csat.svg"):
        assert client.get(path, headers=secret_header(client)).status_code == 401  # a customer's secret is no login
    trainer = TestClient(client.app)
    log_in(trainer, "tina", "tina-password")
    report = trainer.get("/api/analytics/csat", params={"days": 7}).json()
    assert report["totals"]["bot"] == {"ratings": 1, "satisfied": 1, "csat": 1.0, "average": 5.0}
    assert report["by_day"][-1]["bot"]["ratings"] == 1 and len(report["by_day"]) == 7
    chart = trainer.get("/api/analytics/csat.svg", params={"days": 7})
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml") and "<svg" in chart.text
    assert trainer.get("/api/analytics/csat", params={"days": 0}).status_code == 422


def test_rasas_custom_json_joins_the_text_it_was_sent_with():
    """Rasa sends `json_message` as an item of its own after the utterance's text."""
    items = [{"text": "Thanks for visiting!"}, {"text": ratings.RATING_QUESTION}, {"custom": {"rating": True}}]
    rasa = RasaClient("http://rasa.test", channel_token="t")
    rasa._client = httpx.AsyncClient(transport=httpx.MockTransport(lambda request: httpx.Response(200, json=items)))
    replies = asyncio.run(rasa.send("conv-1", "bye", {}))
    assert [(r.text, r.custom) for r in replies] == [("Thanks for visiting!", None), (ratings.RATING_QUESTION, {"rating": True})]


def test_a_comment_cannot_reorder_what_staff_read(client, app_env):
    post(client, "hi")
    post(client, "bye", client_id="m-2")
    assert rate(client, score=3, comment="fine \u202eenilno\u202c thanks \u2066ok\u2069").status_code == 200
    assert stored_ratings(app_env)[0][2] == "fine enilno thanks ok"
