"""The agent console in headless Chromium against the real stack: an agent logs in, a customer's
conversation turns sour in a second browser (the widget), the agent claims it, replies, resolves it."""

from __future__ import annotations

import threading

import httpx
import pytest
from sqlalchemy import select

from kizuna.accounts import create_user
from kizuna.customer_tokens import make_token
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation
from kizuna.secrets import load_secrets
from tests.integration.browser import WAIT_MS, expect
from tests.integration.shop_state import set_profile, treated_customers
from tests.integration.staff_client import staff_client
from tests.integration.test_widget import conversation_of, host, open_chat, send  # noqa: F401

pytestmark = pytest.mark.integration


def log_in(page, console_url: str, username: str, password: str, path: str = "/agent") -> None:
    page.goto(f"{console_url}{path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{path}", timeout=WAIT_MS)


def test_an_agent_works_a_sour_conversation_end_to_end(stack, browser, host):  # noqa: F811
    running, url = stack
    secrets = load_secrets(running.settings.var_dir)
    customer = treated_customers(11)[10]
    set_profile(url, customer, churn=0.75, value=950, tier="vip", segment="loyal")
    agent_context, customer_context = browser.new_context(), browser.new_context()
    try:
        agent = agent_context.new_page()
        log_in(agent, running.console_url, "admin", secrets["admin_password"])
        shopper = customer_context.new_page()
        open_chat(shopper, host.page("sour.html", running.console_url, make_token(customer, secrets["widget_secret"])))
        send(shopper, "this is outrageous <script>alert('x')</script>, my parcel is lost and your service is the worst")
        conversation_id = conversation_of(shopper)
        row = agent.locator(f"tr[data-conversation='{conversation_id}']")
        expect()(row).to_have_count(1, timeout=WAIT_MS)  # the queue updates without a reload
        row.get_by_role("link").click()
        expect()(agent.locator(".transcript .customer").first).to_contain_text("<script>alert('x')</script>", timeout=WAIT_MS)
        assert agent.locator(".transcript script").count() == 0
        expect()(agent.locator(".analysis").first).to_contain_text("sentiment negative")
        agent.get_by_role("button", name="Claim").click()
        expect()(agent.locator("#state")).to_contain_text("owned by admin", timeout=WAIT_MS)
        agent.get_by_label("Reply to the customer").fill("Hi, I'm sorry about this. I'm sending a replacement today.")
        agent.get_by_role("button", name="Send").click()
        expect()(shopper.locator(".msg-agent").filter(has_text="replacement today")).to_have_count(1, timeout=WAIT_MS)
        agent.get_by_label("Private note (only staff see it)").fill("Promised a replacement")
        agent.get_by_role("button", name="Add note").click()
        expect()(agent.locator(".transcript .note")).to_contain_text("Promised a replacement", timeout=WAIT_MS)
        agent.get_by_label("Outcome").select_option("retained")
        agent.get_by_role("button", name="Resolve").click()
        expect()(agent.locator("#state")).to_contain_text("outcome retained", timeout=WAIT_MS)
        assert "Promised a replacement" not in shopper.content()
        log = agent_context.new_page()
        log.goto(f"{running.console_url}/audit")
        log.get_by_label("Conversation").fill(conversation_id)
        for action in ("take", "reply", "note", "resolve"):
            expect()(log.locator("tbody tr").filter(has_text=action)).not_to_have_count(0, timeout=WAIT_MS)
    finally:
        agent_context.close()
        customer_context.close()
    with session_scope(url) as session:
        conversation = session.get(Conversation, conversation_id)
    assert conversation.status == "resolved" and conversation.outcome == "retained"


def test_two_simultaneous_claims_one_wins(stack):
    running, url = stack
    password = load_secrets(running.settings.var_dir)["admin_password"]
    conversation_id = "e2e-claim-race"
    httpx.post(f"{running.console_url}/api/conversations/{conversation_id}/messages",
               json={"text": "I want to talk to a human", "client_message_id": "race-1"}, timeout=WAIT_MS / 1000).raise_for_status()
    with session_scope(url) as session:
        assert session.scalar(select(Conversation.status).where(Conversation.id == conversation_id)) is not None
    with session_scope(url) as session:
        create_user(session, "racer", "racer-password-1", "agent")
    clients = [staff_client(running.console_url, "admin", password), staff_client(running.console_url, "racer", "racer-password-1")]
    results: list[int] = []
    barrier = threading.Barrier(2)

    def claim(client: httpx.Client) -> None:
        barrier.wait()
        results.append(client.post(f"/api/agent/conversations/{conversation_id}/take", json={}).status_code)

    threads = [threading.Thread(target=claim, args=(c,)) for c in clients]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == [200, 409]


def test_an_agent_logs_in_through_the_page_and_is_held_to_the_role(stack, browser):  # noqa: F811
    running, url = stack
    console = running.console_url
    with session_scope(url) as session:
        create_user(session, "agent-ada", "ada-password-1", "agent")
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{console}/login")
        page.get_by_label("Username").fill("agent-ada")
        page.get_by_label("Password").fill("not-her-password")
        page.get_by_role("button", name="Log in").click()
        expect()(page.get_by_role("alert")).to_have_text("Unknown user or wrong password.", timeout=WAIT_MS)
        log_in(page, console, "agent-ada", "ada-password-1")
        refused = page.goto(f"{console}/audit")  # admins only: the agent gets the JSON refusal, not the page
        assert refused.status == 403 and "forbidden" in page.content()
        no_token = context.request.delete(f"{console}/api/session")  # the session cookie, but no CSRF header
        assert no_token.status == 403 and no_token.json()["error"]["code"] == "csrf_failed"
        assert context.request.get(f"{console}/api/session").json()["username"] == "agent-ada"  # still logged in
    finally:
        context.close()
    admin = staff_client(console, "admin", load_secrets(running.settings.var_dir)["admin_password"])
    entries = admin.get("/api/audit", params={"limit": 1000}).json()["entries"]
    admin.close()
    ada = [e["action"] for e in entries if "agent-ada" in (e["username"], (e["detail"] or {}).get("username"))]
    assert "login" in ada and "login_failed" in ada
