"""The chat widget in headless Chromium, against the real console, rasa server and action server."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select

from kizuna.customer_tokens import make_token
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, IssuedOffer, Message
from kizuna.secrets import load_secrets
from tests.integration.browser import WAIT_MS, expect, wait_until_connected
from tests.integration.cuttable_proxy import CuttableProxy
from tests.integration.host_page import HostPage
from tests.integration.shop_state import order_with_status, owner_of, set_profile, treated_customers
from tests.integration.staff_client import staff_client

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    pages = HostPage(tmp_path_factory.mktemp("host"))
    yield pages
    pages.close()




def open_chat(page, url: str) -> None:
    page.goto(url)
    wait_until_connected(page)
    launcher = page.locator("button.launcher")
    if launcher.get_attribute("aria-expanded") != "true":  # a tab of this browser may have left it open
        launcher.click()


def send(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Message")
    box.fill(text)
    box.press("Enter")


def customer_rows(page, text: str):
    return page.locator(".msg-customer").filter(has_text=text)


def conversation_of(page) -> str:
    return page.evaluate("window.kizunaWidget.conversationId")


def secret_of(page) -> str:
    """The conversation's secret, as the widget keeps it in the page's localStorage."""
    return page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.endsWith(':secret'))))")


def test_a_customer_chats_and_the_history_survives_a_reload_and_a_new_tab(stack, context):
    running, _ = stack
    page = context.new_page()
    open_chat(page, f"{running.console_url}/")
    send(page, "hi")
    expect()(page.locator(".msg-bot").filter(has_text="track orders")).to_have_count(1, timeout=WAIT_MS)
    assert page.locator(".msg-customer time").first.get_attribute("datetime")
    page.reload()
    wait_until_connected(page)
    expect()(page.get_by_role("dialog")).to_be_visible()  # it stays open across the reload
    expect()(customer_rows(page, "hi")).to_have_count(1)
    expect()(page.locator(".msg-bot").filter(has_text="track orders")).to_have_count(1)
    second_tab = context.new_page()
    open_chat(second_tab, f"{running.console_url}/")
    assert conversation_of(second_tab) == conversation_of(page)
    expect()(customer_rows(second_tab, "hi")).to_have_count(1)


def test_keyboard_counter_and_escape(stack, context):
    running, _ = stack
    page = context.new_page()
    open_chat(page, f"{running.console_url}/")
    box = page.get_by_role("textbox", name="Message")
    expect()(box).to_be_focused()
    box.fill("x" * 2500)
    assert len(box.input_value()) == 2000
    expect()(page.locator(".counter")).to_have_text("2000/2000")
    box.press("Escape")
    expect()(page.get_by_role("button", name="Open chat")).to_be_focused()


def test_hostile_text_is_shown_as_inert_text(stack, context):
    running, _ = stack
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_chat(page, f"{running.console_url}/")
    hostile = ["<img src=x onerror=alert(1)>", "javascript:alert(document.domain)", "help is at https://example.com/help ok"]
    for text in hostile:
        send(page, text)
        expect()(customer_rows(page, text)).to_have_count(1, timeout=WAIT_MS)
    widget = page.locator("#kizuna-widget")
    assert widget.locator("img").count() == 0 and dialogs == []
    hrefs = [link.get_attribute("href") for link in widget.locator("a").all()]
    assert hrefs == ["https://example.com/help"]
    page.wait_for_timeout(500)
    assert dialogs == []


def test_cut_connection_queues_messages_and_each_arrives_exactly_once(stack, context):
    running, url = stack
    proxy = CuttableProxy(running.settings.console_port)
    try:
        page = context.new_page()
        open_chat(page, f"{proxy.url}/")
        send(page, "hello")
        expect()(page.locator(".msg-bot")).not_to_have_count(0, timeout=WAIT_MS)
        conversation_id = conversation_of(page)
        proxy.cut()
        expect()(page.locator(".connection")).to_be_visible(timeout=WAIT_MS)
        send(page, "how long does delivery take?")
        send(page, "and which payment methods do you accept?")
        expect()(page.locator(".msg-customer.pending")).to_have_count(2)
        missed = {"text": "thanks, from my other tab", "client_message_id": uuid.uuid4().hex}  # while this tab is offline
        assert httpx.post(f"{running.console_url}/api/conversations/{conversation_id}/messages", json=missed, timeout=WAIT_MS / 1000,
                          headers={"X-Conversation-Secret": secret_of(page)}).status_code == 200
        proxy.restore()
        expect()(page.locator(".msg-customer.pending")).to_have_count(0, timeout=WAIT_MS)
        for text in ("hello", "how long does delivery take?", "and which payment methods do you accept?", missed["text"]):
            expect()(customer_rows(page, text)).to_have_count(1, timeout=WAIT_MS)
        expect()(page.locator(".msg-bot").filter(has_text="PayPal")).to_have_count(1, timeout=WAIT_MS)
    finally:
        proxy.cut()
    with session_scope(url) as session:
        per_client_id = session.execute(select(Message.client_message_id, func.count()).where(
            Message.conversation_id == conversation_id, Message.direction == "in").group_by(Message.client_message_id)).all()
    assert len(per_client_id) == 4 and all(count == 1 for _, count in per_client_id)


def test_quick_reply_buttons_work(stack, context):
    running, url = stack
    order = order_with_status(url, "processing") or order_with_status(url, "placed")
    page = context.new_page()
    open_chat(page, f"{running.console_url}/")
    send(page, f"please cancel my order {order.order_number}")
    expect()(page.locator(".msg-bot").filter(has_text="e-mail address")).to_have_count(1, timeout=WAIT_MS)
    send(page, owner_of(url, order).email)  # an anonymous visitor proves the order is theirs
    page.get_by_role("button", name="Yes").first.click(timeout=WAIT_MS)
    expect()(page.locator(".msg-bot").filter(has_text="is cancelled")).to_have_count(1, timeout=WAIT_MS)


def test_on_the_shops_own_page_a_signed_in_customer_accepts_an_offer_card(stack, context, host):
    running, url = stack
    customer = treated_customers(9)[8]
    set_profile(url, customer, churn=0.8, value=320, tier="silver", segment="steady")
    token = make_token(customer, load_secrets(running.settings.var_dir)["widget_secret"])
    page = context.new_page()
    open_chat(page, host.page("offer.html", running.console_url, token))
    assert page.evaluate("window.hostScriptRan") is True
    send(page, "please delete my account")
    card = page.locator(".offer")
    expect()(card).to_have_count(1, timeout=WAIT_MS)
    assert card.locator(".offer-accept").evaluate("b => getComputedStyle(b).display") != "none"  # host CSS can't reach it
    card.locator(".offer-accept").click()
    expect()(page.locator(".msg-bot").filter(has_text="Your code is")).to_have_count(1, timeout=WAIT_MS)
    expect()(card.locator(".offer-accept")).to_be_disabled()
    with session_scope(url) as session:
        conversation = session.get(Conversation, conversation_of(page))
        issued = session.scalars(select(IssuedOffer).where(IssuedOffer.conversation_id == conversation.id)).one()
    assert conversation.customer_id is not None and issued.status == "accepted"


def test_a_forged_token_is_refused_and_the_chat_goes_on_anonymously(stack, context, host):
    running, url = stack
    page = context.new_page()
    open_chat(page, host.page("forged.html", running.console_url, "C0001:9999999999:" + "0" * 64))
    send(page, "hi")
    expect()(page.locator(".msg-bot").filter(has_text="track orders")).to_have_count(1, timeout=WAIT_MS)
    with session_scope(url) as session:
        assert session.get(Conversation, conversation_of(page)).customer_id is None


def test_an_agent_joins_replies_live_and_leaves(stack, context):
    running, _ = stack
    page = context.new_page()
    open_chat(page, f"{running.console_url}/")
    send(page, "hi")
    expect()(page.locator(".msg-bot")).not_to_have_count(0, timeout=WAIT_MS)
    base = f"/api/agent/conversations/{conversation_of(page)}"
    staff = staff_client(running.console_url, "admin", load_secrets(running.settings.var_dir)["admin_password"])
    assert staff.post(f"{base}/take").status_code == 200
    expect()(page.locator(".banner")).to_contain_text("admin from our team has joined", timeout=WAIT_MS)
    assert staff.post(f"{base}/messages", json={"text": "Hi, admin here. <b>How can I help?</b>"}).status_code == 200
    expect()(page.locator(".msg-agent").filter(has_text="<b>How can I help?</b>")).to_have_count(1, timeout=WAIT_MS)
    assert staff.post(f"{base}/release").status_code == 200
    expect()(page.locator(".banner")).to_contain_text("left the chat", timeout=WAIT_MS)


def test_the_unread_badge_counts_replies_while_closed(stack, context):
    running, _ = stack
    page = context.new_page()
    open_chat(page, f"{running.console_url}/")
    send(page, "hi")
    expect()(page.locator(".msg-bot")).not_to_have_count(0, timeout=WAIT_MS)
    page.get_by_role("button", name="Close chat").first.click()
    base = f"/api/agent/conversations/{conversation_of(page)}"
    staff = staff_client(running.console_url, "admin", load_secrets(running.settings.var_dir)["admin_password"])
    staff.post(f"{base}/take").raise_for_status()
    staff.post(f"{base}/messages", json={"text": "Are you still there?"}).raise_for_status()
    expect()(page.locator(".badge")).to_have_text("1", timeout=WAIT_MS)
    page.get_by_role("button", name="Open chat").click()
    expect()(page.locator(".badge")).to_be_hidden()
    page.locator("header").get_by_role("button", name="Close chat").click()
    page.reload()
    wait_until_connected(page)
    expect()(page.locator(".msg-agent")).to_have_count(1)  # the history is back, but it is not news
    expect()(page.locator(".badge")).to_be_hidden()



def test_on_a_phone_the_chat_takes_the_whole_screen(stack, browser):
    running, _ = stack
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True)
    try:
        page = context.new_page()
        open_chat(page, f"{running.console_url}/")
        box = page.get_by_role("dialog").bounding_box()
        assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 375, 700)
        expect()(page.locator("button.launcher")).to_be_hidden()
        page.locator("header").get_by_role("button", name="Close chat").click()
        expect()(page.locator("button.launcher")).to_be_visible()
    finally:
        context.close()


def test_colours_come_from_the_script_tag_and_anything_but_a_colour_is_ignored(stack, context, host):
    running, _ = stack
    page = context.new_page()

    def colours(name: str, **data: str) -> tuple[str, str, str]:
        open_chat(page, host.page(name, running.console_url, **data))
        style = "(e, property) => getComputedStyle(e)[property]"
        return (page.locator("header").evaluate(style, "backgroundColor"), page.locator("header").evaluate(style, "color"),
                page.locator(".log").evaluate(style, "backgroundColor"))

    assert colours("light.html", color="#ffeb3b") == ("rgb(255, 235, 59)", "rgb(29, 42, 38)", "rgb(246, 247, 248)")  # dark text on yellow
    assert colours("set.html", color="navy", text_color="#ffeb3b", background="lavender") == (
        "rgb(0, 0, 128)", "rgb(255, 235, 59)", "rgb(230, 230, 250)")
    assert colours("bad.html", color="red;x:y", text_color="var(--x)", background="url(//evil.example/x.png)") == (
        "rgb(11, 110, 79)", "rgb(255, 255, 255)", "rgb(246, 247, 248)")  # the defaults
