"""The trainers' pages in headless Chromium against the real stack: a customer writes something the bot
cannot place, a trainer finds it in the inbox and relabels it from the keyboard; a message repeated in many
conversations is one row with its count, its conversation shows on demand (masked, hostile text as text)
and one confirmation covers all of it; the models page shows the model serving now."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from retraining import nlu_models as nlu
from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, IntentReview, Message, TurnAnalysis
from tests.integration.staff_client import staff_client
from tests.integration.test_widget import WAIT_MS, expect

pytestmark = pytest.mark.integration
TRAINER, PASSWORD = "trina", "trina-password-1"
AGENT, AGENT_PASSWORD = "agnes", "agnes-password-1"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def staff(stack):
    running, url = stack
    with session_scope(url) as session:
        create_user(session, TRAINER, PASSWORD, "trainer")
        create_user(session, AGENT, AGENT_PASSWORD, "agent")
    return running, url


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
    texts = [rows.nth(index).locator("td.message .text").inner_text() for index in range(rows.count())]
    target = texts.index(text)
    if target == 0:
        page.keyboard.press("j")
        page.keyboard.press("k")
    for _ in range(target):
        page.keyboard.press("j")
    row = rows.nth(target)
    expect()(row).to_have_class("focused")
    return row


def test_a_trainer_relabels_a_misunderstood_message_from_the_keyboard(staff, browser):  # noqa: F811
    running, url = staff
    conversation_id = f"e2e-inbox-{uuid.uuid4().hex[:8]}"
    text = "zorbly quxxen fleep wibbit"
    httpx.post(f"{running.console_url}/api/conversations/{conversation_id}/messages",
               json={"text": text, "client_message_id": "inbox-1"}, timeout=WAIT_MS / 1000).raise_for_status()
    turn = analysed_turn(url, conversation_id)
    if turn.intent != "nlu_fallback" and turn.confidence >= running.settings.review_below_confidence:
        agent = staff_client(running.console_url, AGENT, AGENT_PASSWORD)  # the bot was sure: an agent flags it
        try:
            assert agent.post(f"/api/training/turns/{turn.id}/flag").status_code == 200
        finally:
            agent.close()

    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, running.console_url, "/training")
        expect()(page.locator("#rows td.message .text").filter(has_text=text)).to_have_count(1, timeout=WAIT_MS)
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
        expect()(page.locator("#status-line")).to_have_text("1 message relabelled as track_order", timeout=WAIT_MS)
        expect()(page.locator("#rows td.message .text").filter(has_text=text)).to_have_count(0)
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


HOSTILE = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>"


def queue_conversations(url: str, marker: str, count: int) -> list[str]:
    """`count` conversations, each with one near-identical customer message the bot was unsure of (order
    numbers, case and punctuation differ), a bot reply naming an e-mail address and a hostile follow-up."""
    start = datetime.now(timezone.utc) - timedelta(hours=1)
    ids = []
    with session_scope(url) as session:
        for index in range(count):
            conversation_id = f"e2e-group-{marker}-{index}"
            session.add(Conversation(id=conversation_id, status="bot"))
            session.flush()
            asked = f"{marker} where is order {10400 + index}??" if index % 2 else f"{marker.upper()} Where is order #{10400 + index}"
            lines = [("customer", asked),
                     ("bot", "Which e-mail address did you order with? I have jane.doe@example.org on file."),
                     ("customer", f"{HOSTILE} {marker}")]
            for offset, (sender, text) in enumerate(lines):
                message = Message(conversation_id=conversation_id, direction="in" if sender == "customer" else "out", sender=sender,
                                  text=text, status="answered", created_at=start + timedelta(minutes=index, seconds=offset))
                session.add(message)
                session.flush()
                if offset == 0:
                    session.add(TurnAnalysis(conversation_id=conversation_id, turn_key=f"{marker}-{index}",
                                             message_id=message.id, intent="track_order", confidence=0.3 + index / 100,
                                             message_at=message.created_at,
                                             intent_ranking=[{"name": "track_order", "confidence": 0.3}]))
            ids.append(conversation_id)
    return ids


def group_row(page, marker: str):
    return page.locator("#rows tr[data-id]").filter(has=page.locator("td.message .text", has_text=marker))


def test_a_repeated_message_is_one_row_with_its_conversation_on_demand_and_one_review(staff, browser):  # noqa: F811
    running, url = staff
    marker = f"qz{uuid.uuid4().hex[:6]}"
    conversations = queue_conversations(url, marker, 12)
    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, running.console_url, "/training")
        row = group_row(page, marker)
        expect()(row).to_have_count(1, timeout=WAIT_MS)
        expect()(row.locator("td.count")).to_contain_text("12×")
        expect()(row.locator("td.count")).to_contain_text("in 12 conversations")
        row.get_by_role("button", name="Context").click()
        panel = page.locator(".context-panel")
        expect()(panel.locator("li.focus")).to_contain_text(marker, ignore_case=True, timeout=WAIT_MS)
        expect()(panel.locator("li.bot")).to_contain_text("customer@example.com")
        expect()(panel.locator("li.customer").last).to_contain_text(HOSTILE)  # shown as text
        assert "jane.doe" not in panel.inner_text()
        assert page.locator("#rows img, #rows script").count() == 0 and page.evaluate("window.pwned") is None
        panel.get_by_role("button", name="Next example ›").click()
        expect()(panel.locator(".context-header")).to_contain_text("example 2 of 12")
        expect()(panel.locator(".context-header")).not_to_contain_text(conversations[0])
        row.click()
        page.keyboard.press("x")
        page.keyboard.press("c")
        expect()(page.locator("#status-line")).to_have_text("12 messages confirmed as track_order", timeout=WAIT_MS)
        expect()(group_row(page, marker)).to_have_count(0)
    finally:
        context.close()
    with session_scope(url) as session:
        statuses = session.scalars(select(IntentReview.status).join(TurnAnalysis, TurnAnalysis.id == IntentReview.turn_analysis_id)
                                   .where(TurnAnalysis.conversation_id.in_(conversations))).all()
    assert statuses == ["confirmed"] * 12


def test_the_context_is_for_trainers_only(staff):
    running, url = staff
    marker = f"qz{uuid.uuid4().hex[:6]}"
    queue_conversations(url, marker, 1)
    trainer = staff_client(running.console_url, TRAINER, PASSWORD)
    try:
        found = [g for g in trainer.get("/api/training/inbox/groups").json()["groups"] if marker in g["text"].lower()]
        review_id = found[0]["members"][0]["id"]
        assert trainer.get(f"/api/training/inbox/{review_id}/context").status_code == 200
    finally:
        trainer.close()
    agent = staff_client(running.console_url, AGENT, AGENT_PASSWORD)
    try:
        refused = agent.get(f"/api/training/inbox/{review_id}/context")
        assert refused.status_code == 403 and marker not in refused.text
        assert agent.get("/api/training/inbox/groups").status_code == 403
    finally:
        agent.close()
    anonymous = httpx.get(f"{running.console_url}/api/training/inbox/{review_id}/context", timeout=30)
    assert anonymous.status_code == 401 and marker not in anonymous.text


def test_on_a_phone_the_inbox_and_the_models_page_fit_and_show_the_serving_model(staff, browser):  # noqa: F811
    running, url = staff
    marker = f"qz{uuid.uuid4().hex[:6]}"
    queue_conversations(url, marker, 3)
    serving = nlu.serving_model(running.settings)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        log_in(page, running.console_url, "/training")
        row = group_row(page, marker)
        expect()(row).to_have_count(1, timeout=WAIT_MS)
        row.get_by_role("button", name="Context").click()
        expect()(page.locator(".context-panel li.focus")).to_be_visible(timeout=WAIT_MS)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.goto(f"{running.console_url}/models")
        nlu_panel = page.locator("section[data-kind=nlu]")
        expect()(nlu_panel.locator(".serving")).to_contain_text(Path(serving).name.removesuffix(".tar.gz"), timeout=WAIT_MS)
        expect()(nlu_panel.locator(".serving")).to_contain_text(f"serves {Path(serving).name}")
        expect()(page.locator("section[data-kind=sentiment] .serving")).to_contain_text("Serving now")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
