"""A conversation belongs to one person: in headless Chromium, on the demo storefront with demo sign-in
on, switching customers starts a new conversation and never shows the previous person's transcript;
"New conversation" leaves the old one behind. Demo sign-in is refused for an imported customer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Customer
from retraining.rasa_env import free_port
from operations.stack import Stack
from tests.integration.test_widget import WAIT_MS, conversation_of, customer_rows, expect, open_chat, send, wait_until_connected

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo(stack):
    """A second console on the same database and rasa server, with demo sign-in on (as `kizuna run` has it)."""
    running, _ = stack
    console = Stack(running.settings.model_copy(update={"console_port": free_port()}), running.settings.var_dir / "demo-console")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KIZUNA_DEMO_SIGN_IN", "1")
        console.start_console_only()
    yield console
    console.stop()


@pytest.fixture(scope="module")
def screenshots(stack) -> Path:
    folder = Path(os.environ.get("KIZUNA_SCREENSHOTS", stack[0].settings.var_dir / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def customer_of(url: str, conversation_id: str) -> str | None:
    with session_scope(url) as session:
        return session.scalar(select(Customer.external_id).join(Conversation, Conversation.customer_id == Customer.id)
                              .where(Conversation.id == conversation_id))


def bot_answered(page) -> None:
    expect()(page.locator(".msg-bot")).not_to_have_count(0, timeout=WAIT_MS)


def test_switching_the_demo_customer_starts_a_new_conversation(stack, demo, context, screenshots):
    _, url = stack
    page = context.new_page()
    open_chat(page, f"{demo.console_url}/")
    send(page, "hi, the code word is pineapple")
    bot_answered(page)
    anonymous = conversation_of(page)

    open_chat(page, f"{demo.console_url}/?as=C0003")
    expect()(page.locator(".sign-in")).to_contain_text("signed in as C0003")
    signed_in = conversation_of(page)
    assert signed_in != anonymous
    expect()(page.locator("#kizuna-widget .msg-customer")).to_have_count(0)  # nothing of the anonymous visitor's
    send(page, "hello, C0003 here")
    expect()(customer_rows(page, "C0003 here")).to_have_count(1, timeout=WAIT_MS)
    bot_answered(page)
    expect()(customer_rows(page, "pineapple")).to_have_count(0)
    page.screenshot(path=str(screenshots / "signed-in-desktop.png"))
    assert customer_of(url, signed_in) == "C0003" and customer_of(url, anonymous) is None  # nothing handed over

    open_chat(page, f"{demo.console_url}/")  # signed out again: C0003's transcript stays with C0003
    assert conversation_of(page) not in (anonymous, signed_in)
    expect()(page.locator("#kizuna-widget .msg-customer")).to_have_count(0)
    send(page, "anyone there?")
    bot_answered(page)


def test_new_conversation_leaves_the_old_one_behind(demo, context):
    page = context.new_page()
    open_chat(page, f"{demo.console_url}/")
    send(page, "my first conversation")
    bot_answered(page)
    first = conversation_of(page)
    page.get_by_role("button", name="New conversation").click()
    expect()(customer_rows(page, "my first conversation")).to_have_count(0)
    assert conversation_of(page) != first
    wait_until_connected(page)
    send(page, "my second conversation")
    expect()(customer_rows(page, "my second conversation")).to_have_count(1, timeout=WAIT_MS)
    bot_answered(page)
    page.reload()
    wait_until_connected(page)
    expect()(customer_rows(page, "my second conversation")).to_have_count(1, timeout=WAIT_MS)
    expect()(customer_rows(page, "my first conversation")).to_have_count(0)


def test_the_new_conversation_control_fits_a_phone(demo, browser, screenshots):
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True)
    try:
        page = context.new_page()
        open_chat(page, f"{demo.console_url}/?as=C0005")
        send(page, "where is my order?")
        bot_answered(page)
        restart = page.get_by_role("button", name="New conversation")
        expect()(restart).to_be_visible()
        box = restart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        page.screenshot(path=str(screenshots / "signed-in-phone.png"))
    finally:
        context.close()


def test_demo_sign_in_is_refused_for_an_imported_customer(stack, demo, tmp_path):
    _, url = stack
    (tmp_path / "customers.csv").write_text("customer_id,name,signed_up,email\nIMP-77,Ada Byron,2025-01-05,ada@shop.test\n")
    (tmp_path / "orders.csv").write_text("order_id,customer_id,placed_at,total\nIMP-7701,IMP-77,2025-02-01,19.90\n")
    command = [sys.executable, "-m", "operations.cli", "customers", "import",
               "--customers", str(tmp_path / "customers.csv"), "--orders", str(tmp_path / "orders.csv")]
    env = {**os.environ, "KIZUNA_DATABASE_URL": url, "KIZUNA_VAR_DIR": str(stack[0].settings.var_dir)}
    imported = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert "data-customer-token" in httpx.get(f"{demo.console_url}/", params={"as": "C0003"}, timeout=30).text
    page = httpx.get(f"{demo.console_url}/", params={"as": "IMP-77"}, timeout=30).text
    assert "data-customer-token" not in page and "signed in as" not in page
