"""The trainers' NLU inbox in headless Chromium against the real stack: a customer writes something the
bot cannot place, a trainer finds it in the inbox and relabels it from the keyboard."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from sqlalchemy import select

from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from kizuna.db.models import TurnAnalysis
from tests.integration.staff_client import staff_client
from tests.integration.test_widget import WAIT_MS, expect

pytestmark = pytest.mark.integration
TRAINER, PASSWORD = "trina", "trina-password-1"


def analysed_turn(url: str, conversation_id: str) -> TurnAnalysis:
    """The turn analysis of the conversation's first message, once the action server has stored it."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while time.monotonic() < deadline:
        with session_scope(url) as session:
            turn = session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == conversation_id)).first()
            if turn is not None:
                return turn
        time.sleep(0.5)
    raise AssertionError(f"no turn analysis for {conversation_id}")


def log_in(page, console_url: str, path: str) -> None:
    page.goto(f"{console_url}{path}")
    page.get_by_label("Username").fill(TRAINER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{path}", timeout=WAIT_MS)


def focus_row(page, text: str):
    """Move the highlight to the row of `text` with j (the inbox may hold other messages above it)."""
    rows = page.locator("#rows tr[data-id]")
    texts = [rows.nth(index).locator("td.message").inner_text() for index in range(rows.count())]
    target = texts.index(text)
    if target == 0:
        page.keyboard.press("j")
        page.keyboard.press("k")
    for _ in range(target):
        page.keyboard.press("j")
    row = rows.nth(target)
    expect()(row).to_have_class("focused")
    return row


def test_a_trainer_relabels_a_misunderstood_message_from_the_keyboard(stack, browser):  # noqa: F811
    running, url = stack
    with session_scope(url) as session:
        create_user(session, TRAINER, PASSWORD, "trainer")
    conversation_id = f"e2e-inbox-{uuid.uuid4().hex[:8]}"
    text = "zorbly quxxen fleep wibbit"
    httpx.post(f"{running.console_url}/api/conversations/{conversation_id}/messages",
               json={"text": text, "client_message_id": "inbox-1"}, timeout=WAIT_MS / 1000).raise_for_status()
    turn = analysed_turn(url, conversation_id)
    assert turn.intent == "nlu_fallback" or turn.confidence < running.settings.review_below_confidence

    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, running.console_url, "/training")
        expect()(page.locator("#rows td.message").filter(has_text=text)).to_have_count(1, timeout=WAIT_MS)
        expect()(page.get_by_role("link", name="Inbox")).to_have_attribute("aria-current", "page")
        row = focus_row(page, text)
        page.keyboard.press("x")
        expect()(row.get_by_role("checkbox")).to_be_checked()
        page.keyboard.press("?")
        expect()(page.locator("#help")).to_be_visible()
        page.keyboard.press("Escape")
        expect()(page.locator("#help")).to_be_hidden()
        page.keyboard.press("r")
        intent = page.get_by_label("Relabel as")
        expect()(intent).to_be_focused()
        page.keyboard.type("track_order")
        page.keyboard.press("Enter")
        expect()(page.locator("#status-line")).to_have_text("1 relabelled as track_order", timeout=WAIT_MS)
        expect()(page.locator("#rows td.message").filter(has_text=text)).to_have_count(0)
        page.goto(f"{running.console_url}/models")
        expect()(page.get_by_role("heading", name="Assistant (NLU)")).to_be_visible()
        expect()(page.get_by_role("button", name="Retrain now").first).to_be_enabled(timeout=WAIT_MS)
    finally:
        context.close()

    client = staff_client(running.console_url, TRAINER, PASSWORD)
    try:
        relabelled = client.get("/api/training/inbox", params={"status": "relabelled"}).json()["items"]
    finally:
        client.close()
    mine = [(i["text"], i["intent"], i["reviewed_by"]) for i in relabelled if i["turn_id"] == turn.id]
    assert mine == [(text, "track_order", TRAINER)]
