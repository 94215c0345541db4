"""The campaigns section of the analytics page in a browser: the chart and the table of seeded campaign results,
on a desktop and on a phone (no sideways scrolling of the page)."""

from __future__ import annotations

import time

import pytest

from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from tests.conftest import VIEWPORTS, console_app, served_console
from tests.integration.browser import WAIT_MS, expect
from tests.unit.test_campaign_report import seed


@pytest.fixture
def console_url(app_env, tmp_path):
    """The console alone on a free local port, with the seeded campaign results and an admin."""
    with session_scope(app_env) as session:
        seed(session)
        create_user(session, "ana", "ana-password-1", "admin")
    with served_console(console_app(app_env, tmp_path)) as url:
        yield url


@pytest.mark.integration
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_analytics_page_shows_each_campaigns_uplift_and_chart(console_url, browser, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(f"{console_url}/login")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", "ana-password-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/agent*", timeout=WAIT_MS)
    page.goto(f"{console_url}/analytics")
    silver = page.locator("#campaigns tr", has_text="Win back silver")
    expect()(silver).to_contain_text("40 / 40", timeout=WAIT_MS)
    expect()(silver).to_contain_text("higher with the offer")
    expect()(silver).to_contain_text("+25.0\u00a0pts (+3.8\u00a0pts to +43.3\u00a0pts)")
    expect()(page.locator("#campaigns tr", has_text="Quiet VIPs")).to_contain_text("no contacts yet")
    chart = page.locator("#campaign-chart img")
    expect()(chart).to_have_attribute("alt", "Share of treated and held-out contacts who ordered within 30 days, per campaign, "
                                             "with 95 % intervals")
    _wait_for_image(page)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=f"/tmp/campaign-analytics-{viewport}.png", full_page=True)
    context.close()


def _wait_for_image(page) -> None:
    """Polled from here: in-page polling needs eval, which the pages' content security policy forbids."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not page.evaluate("document.querySelector('#campaign-chart img').naturalWidth > 0"):
        assert time.monotonic() < deadline, "the campaigns chart did not load"
        page.wait_for_timeout(50)
