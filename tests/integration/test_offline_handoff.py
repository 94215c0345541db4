"""Asking for a person while the team is away, end to end (real rasa server, action server and console, the
team's hours forced closed with KIZUNA_AGENT_HOURS): the customer leaves an address in their own words,
confirms it, the agents' follow-ups carry it, and the customer sees their own words while staff see them masked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, FollowUp, Message
from tests.integration.browser import WAIT_MS, expect, wait_until_connected
from tests.integration.chat import Chat
from tests.integration.staff_client import staff_client

pytestmark = pytest.mark.integration
ADDRESS = "ana@example.com"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def _text(replies: list[dict]) -> str:
    return " ".join(r["text"] for r in replies)


def test_out_of_hours_the_customer_leaves_an_address_and_the_agents_get_it(closed_stack):
    running, url = closed_stack
    chat = Chat(running)
    asked = _text(chat.say("I want to talk to a human"))
    assert "offline" in asked and "e-mail address" in asked, asked
    assert "bringing in" not in asked and "in a few minutes" not in asked

    typed = f"you can reach me at {ADDRESS}"
    confirm = chat.say(typed)
    assert _text(confirm) == f"I'll have someone e-mail you at {ADDRESS} — is that right?"
    assert [b["payload"] for b in confirm[0]["buttons"]] == ["/affirm", "/deny"]

    done = _text(chat.say("yes"))
    assert f"e-mail you at {ADDRESS}" in done and "offline" in done

    # The agents' follow-ups carry the contact; a trainer may not read it; a customer's secret is no login.
    agent = staff_client(running.console_url, "sam", "sam-password-123")
    follow_ups = agent.get("/api/agent/follow-ups").json()
    agent.close()
    assert [(f["conversation_id"], f["contact"]) for f in follow_ups] == [(chat.conversation_id, ADDRESS)]
    trainer = staff_client(running.console_url, "tina", "tina-password-123")
    assert trainer.get("/api/agent/follow-ups").status_code == 403
    trainer.close()
    import httpx

    assert httpx.get(f"{running.console_url}/api/agent/follow-ups", headers=chat.headers).status_code == 401
    other = Chat(running)
    other.say("hello")
    assert httpx.get(chat.url, headers=other.headers).status_code == 404  # another conversation's secret opens nothing

    with session_scope(url) as session:
        conversation = session.get(Conversation, chat.conversation_id)
        stored = session.scalars(select(Message.text).where(Message.conversation_id == chat.conversation_id)).all()
        row = session.scalars(select(FollowUp).where(FollowUp.conversation_id == chat.conversation_id)).one()
        assert conversation.status == "waiting_for_agent" and row.status == "open"
    assert all(ADDRESS not in text for text in stored) and "you can reach me at customer@example.com" in stored
    with sqlite3.connect(Path(url.removeprefix("sqlite:///"))) as connection:
        raw = connection.execute("SELECT * FROM follow_ups").fetchall()
    assert raw and all(ADDRESS not in str(value) for value in raw[0])


def test_no_asks_for_the_address_again(closed_stack):
    running, _ = closed_stack
    chat = Chat(running)
    chat.say("can I speak to a real person")
    assert "is that right" in _text(chat.say("my email is tom.k@example.net"))
    again = _text(chat.say("no"))
    assert "Which e-mail address" in again, again
    assert "tom.kay@example.net — is that right" in _text(chat.say("it's tom.kay@example.net"))
    assert "e-mail you at tom.kay@example.net" in _text(chat.say("yes"))
    with session_scope(closed_stack[1]) as session:
        assert session.scalars(select(FollowUp).where(FollowUp.conversation_id == chat.conversation_id)).one()


def _send(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Message")
    box.fill(text)
    box.press("Enter")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_widget_shows_the_customer_their_own_words_and_an_honest_banner(closed_stack, browser, viewport, tmp_path):
    running, _ = closed_stack
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(f"{running.console_url}/")
        wait_until_connected(page)
        page.locator("button.launcher").click()
        _send(page, "I want to talk to a human")
        bot = page.locator(".msg-bot")
        expect()(bot.filter(has_text="offline")).to_have_count(1, timeout=WAIT_MS)
        banner = page.locator(".banner")
        assert "bringing in" not in (banner.text_content() or "")
        _send(page, f"you can reach me at {ADDRESS}")
        question = bot.filter(has_text=f"e-mail you at {ADDRESS} — is that right?")
        expect()(question).to_have_count(1, timeout=WAIT_MS)
        expect()(page.locator(".msg-customer").filter(has_text=f"you can reach me at {ADDRESS}")).to_have_count(1)
        page.get_by_role("button", name="Yes, that's right").click()
        expect()(bot.filter(has_text=f"someone will e-mail you at {ADDRESS}")).to_have_count(1, timeout=WAIT_MS)
        expect()(banner).to_have_text("Our team is offline right now; we'll reply by e-mail.", timeout=WAIT_MS)
        page.screenshot(path=str(tmp_path / f"offline-{viewport['width']}.png"))
        widget = page.locator("#kizuna-widget")
        assert "customer@example.com" not in (widget.text_content() or "")

        page.reload()  # the same session: the customer's history still shows their own words
        wait_until_connected(page)
        expect()(page.locator(".msg-customer").filter(has_text=f"you can reach me at {ADDRESS}")).to_have_count(1, timeout=WAIT_MS)
        expect()(question).to_have_count(1)
        expect()(banner).to_have_text("Our team is offline right now; we'll reply by e-mail.", timeout=WAIT_MS)
        assert "customer@example.com" not in (widget.text_content() or "")
        panel = page.get_by_role("dialog").bounding_box()
        assert panel and panel["x"] >= 0 and panel["x"] + panel["width"] <= viewport["width"] + 1
    finally:
        context.close()


def test_an_address_left_after_an_escalation_out_of_hours_is_confirmed_too(closed_stack):
    """The retention policy may have escalated the conversation and asked for an address: the customer's
    "my email is ..." then goes to the same confirmation, not to "Sorry, I didn't quite get that"."""
    running, url = closed_stack
    chat = Chat(running)
    chat.say("hello")
    with session_scope(url) as session:
        session.get(Conversation, chat.conversation_id).status = "waiting_for_agent"
    asked = _text(chat.say("my email is jo.r@example.org"))
    assert asked == "I'll have someone e-mail you at jo.r@example.org — is that right?", asked
    assert "e-mail you at jo.r@example.org" in _text(chat.say("yes"))


def test_the_agents_page_lists_the_follow_up_with_its_address(closed_stack, browser, tmp_path):
    running, _ = closed_stack
    chat = Chat(running)
    chat.say("talk to a human please")
    chat.say("lea.m@example.com")
    chat.say("yes")
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(viewport=viewport)
        try:
            page = context.new_page()
            page.goto(f"{running.console_url}/login")
            page.get_by_label("Username").fill("sam")
            page.get_by_label("Password").fill("sam-password-123")
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/agent**", timeout=WAIT_MS)
            row = page.locator("#follow-ups tr").filter(has_text="lea.m@example.com")
            expect()(row).to_have_count(1, timeout=WAIT_MS)
            page.screenshot(path=str(tmp_path / f"agent-{viewport['width']}.png"), full_page=True)
        finally:
            context.close()
