"""Customer satisfaction end to end (real rasa server, action server and console): the bot asks for a rating
when the chat ends with it, an agent resolving asks too, the customer rates once, analytics counts it
bot-only or agent-handled; and the widget's rating form in headless Chromium at desktop and phone width."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import select

from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from kizuna.db.models import ConversationRating, User
from tests.integration.browser import WAIT_MS, expect, wait_until_connected
from tests.integration.chat import Chat
from tests.integration.staff_client import staff_client

pytestmark = pytest.mark.integration
AGENT, AGENT_PASSWORD = "csat-agent", "csat-agent-password"
TRAINER, TRAINER_PASSWORD = "csat-trainer", "csat-trainer-password"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def staff(stack):
    running, url = stack
    with session_scope(url) as session:
        for name, password, role in ((AGENT, AGENT_PASSWORD, "agent"), (TRAINER, TRAINER_PASSWORD, "trainer")):
            if session.scalar(select(User.id).where(User.username == name)) is None:
                create_user(session, name, password, role)
    agent = staff_client(running.console_url, AGENT, AGENT_PASSWORD)
    trainer = staff_client(running.console_url, TRAINER, TRAINER_PASSWORD)
    yield agent, trainer
    agent.close()
    trainer.close()


def rate(chat: Chat, headers: dict | None = None, **body) -> httpx.Response:
    return httpx.post(chat.url.rsplit("/", 1)[0] + "/rating", json=body, headers=chat.headers if headers is None else headers,
                      timeout=60)


def today(trainer: httpx.Client) -> dict:
    """Today's CSAT row, as the analytics page reads it."""
    response = trainer.get("/api/analytics/csat", params={"days": 1})
    assert response.status_code == 200, response.text
    return response.json()["by_day"][-1]


def stored(url: str, conversation_id: str) -> ConversationRating:
    with session_scope(url) as session:
        rating = session.scalars(select(ConversationRating).where(ConversationRating.conversation_id == conversation_id)).one()
        session.expunge(rating)
        return rating


def test_a_bot_only_chat_ends_with_a_rating_the_customer_gives_once(stack, staff):
    running, url = stack
    _, trainer = staff
    before = today(trainer)["bot"]["ratings"]
    chat = Chat(running)
    assert "working days" in " ".join(r["text"] for r in chat.say("how long does delivery take?"))
    ending = chat.say("no thanks, that's all")
    assert [r["kind"] for r in ending][-1] == "rating", ending
    assert "How did we do?" in ending[-1]["text"]

    assert rate(chat, headers={}, score=5).status_code == 404  # no secret: no such conversation
    assert rate(chat, headers={"X-Conversation-Secret": "not-the-secret"}, score=5).status_code == 404
    assert rate(chat, score=9).status_code == 422
    answer = rate(chat, score=5, comment="quick and clear")
    assert answer.status_code == 200, answer.text
    again = rate(chat, score=1)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_rated"
    assert "How did we do?" not in " ".join(r["text"] for r in chat.say("bye"))  # asked once per conversation

    rating = stored(url, chat.conversation_id)
    assert (rating.score, rating.comment, rating.handled_by) == (5, "quick and clear", "bot")
    assert today(trainer)["bot"]["ratings"] == before + 1
    assert httpx.get(f"{running.console_url}/api/analytics/csat", headers=chat.headers).status_code == 401


def test_an_agent_resolves_and_the_customer_rates_with_a_masked_comment(stack, staff):
    running, url = stack
    agent, trainer = staff
    before = today(trainer)["agent"]["ratings"]
    chat = Chat(running)
    chat.say("I want to talk to a person")
    assert rate(chat, score=3).status_code == 409  # nobody asked yet
    assert agent.post(f"/api/agent/conversations/{chat.conversation_id}/take").status_code == 200
    resolved = agent.post(f"/api/agent/conversations/{chat.conversation_id}/resolve", json={"outcome": "retained"})
    assert resolved.status_code == 200, resolved.text

    asked = chat.history()[-1]
    assert (asked["kind"], asked["sender"]) == ("rating", "system") and "How did we do?" in asked["text"]
    answer = rate(chat, score=2, comment="Slow. Write to me at jane.roe@example.org please")
    assert answer.status_code == 200, answer.text

    rating = stored(url, chat.conversation_id)
    assert (rating.score, rating.handled_by) == (2, "agent")
    assert rating.comment == "Slow. Write to me at customer@example.com please"
    row = today(trainer)
    assert row["agent"]["ratings"] == before + 1 and row["agent"]["average"] is not None


# --- the widget ---------------------------------------------------------------------------------




@pytest.mark.parametrize("name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_widget_asks_for_a_rating_and_thanks_once_also_after_a_reload(stack, browser, name, viewport):
    running, _ = stack
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{running.console_url}/")
    wait_until_connected(page)
    page.locator("button.launcher").click()
    box = page.get_by_role("textbox", name="Message")
    box.fill("which payment methods do you take?")
    box.press("Enter")
    expect()(page.locator(".msg-bot").filter(has_text="PayPal")).to_have_count(1, timeout=WAIT_MS)
    box.fill("bye")
    box.press("Enter")

    four = page.get_by_role("button", name="4 of 5, good")
    expect()(four).to_be_visible(timeout=WAIT_MS)
    send = page.get_by_role("button", name="Send rating")
    expect()(send).to_be_disabled()  # nothing to send before a score is chosen
    four.focus()
    page.keyboard.press("Enter")  # reachable and usable by keyboard
    expect()(four).to_have_attribute("aria-pressed", "true")
    page.get_by_role("textbox", name="Comment (optional)").fill("Friendly and fast")
    page.screenshot(path=f"/tmp/csat-{name}-form.png")
    send.click()
    thanks = page.get_by_text("Thank you for your feedback")
    expect()(thanks).to_be_visible(timeout=WAIT_MS)
    expect()(page.get_by_role("button", name="4 of 5, good")).to_have_count(0)  # it cannot be sent twice
    page.screenshot(path=f"/tmp/csat-{name}-thanks.png")

    page.reload()
    wait_until_connected(page)
    expect()(page.get_by_text("Thank you for your feedback")).to_be_visible(timeout=WAIT_MS)
    expect()(page.get_by_role("button", name="4 of 5, good")).to_have_count(0)
    page.screenshot(path=f"/tmp/csat-{name}-reload.png")
    context.close()


def test_the_analytics_page_shows_csat(stack, staff, browser):
    running, _ = stack
    login = httpx.post(f"{running.console_url}/api/session", json={"username": TRAINER, "password": TRAINER_PASSWORD})
    assert login.status_code == 200
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies([{"name": "kizuna_session", "value": login.cookies["kizuna_session"], "url": running.console_url}])
    page = context.new_page()
    page.goto(f"{running.console_url}/analytics")
    expect()(page.get_by_role("heading", name="Customer satisfaction")).to_be_visible()
    rows = page.locator("#csat tr")
    expect()(rows).to_have_count(3)
    expect()(rows.nth(1)).to_contain_text("Bot-only")
    chart = page.get_by_role("img", name="CSAT per day, bot-only and agent-handled")
    expect()(chart).to_be_visible()
    deadline = time.monotonic() + 30
    while not page.evaluate("document.querySelector('#csat-chart img').naturalWidth > 0"):  # the SVG was drawn
        assert time.monotonic() < deadline, "the CSAT chart did not load"
        page.wait_for_timeout(100)
    page.locator("#csat-chart").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/csat-analytics.png", full_page=True)
    context.close()
