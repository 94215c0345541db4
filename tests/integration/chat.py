"""A customer chatting through the console's API, as the widget does."""

from __future__ import annotations

import uuid

import httpx

from kizuna.customer_tokens import make_token
from kizuna.secrets import load_secrets
from operations.stack import Stack


class Chat:
    """A customer chatting through the console's API; a known customer signs in with a token, as the widget does."""

    def __init__(self, running: Stack, customer_id: str | None = None) -> None:
        self.url = f"{running.console_url}/api/conversations/e2e-{uuid.uuid4().hex[:10]}/messages"
        self.conversation_id = self.url.split("/")[-2]
        secret = load_secrets(running.settings.var_dir)["widget_secret"]
        self.token = make_token(customer_id, secret) if customer_id else None
        self.secret: str | None = None  # the conversation's, from the reply to the first message

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Conversation-Secret": self.secret} if self.secret else {}

    def post(self, text: str, payload: str | None = None) -> dict:
        """The whole answer to one message (the stored message, the replies, the conversation's secret)."""
        body = {"text": text, "client_message_id": uuid.uuid4().hex}
        if self.token:
            body["customer_token"] = self.token
        if payload:
            body["payload"] = payload
        response = httpx.post(self.url, json=body, headers=self.headers, timeout=60)
        assert response.status_code == 200, response.text
        self.secret = self.secret or response.json()["conversation_secret"]
        return response.json()

    def say(self, text: str, payload: str | None = None) -> list[dict]:
        return self.post(text, payload)["replies"]

    def history(self) -> list[dict]:
        response = httpx.get(self.url, headers=self.headers, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()["messages"]
