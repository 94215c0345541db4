"""Headless Chromium for the browser tests (Debian's package; never a downloaded browser)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Iterator

from tests.conftest import unavailable

WAIT_MS = 90_000  # a bot turn on a busy two-core machine
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or (str(Path("/usr/bin/chromium")) if Path("/usr/bin/chromium").exists() else None)


def launch_chromium() -> Iterator[object]:
    """A Playwright browser, or a skip (a failure on CI) that says how to get one."""
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed: `make test-tools` (apt-get install chromium) enables the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def expect():
    """Playwright's expect (imported only where a browser runs)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


def wait_until_connected(page, timeout_ms: int = WAIT_MS) -> None:
    """Polled from here: in-page polling (wait_for_function) needs eval, which the pages' CSP forbids."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate("!!(window.kizunaWidget && window.kizunaWidget.connected)"):
        assert time.monotonic() < deadline, "the widget did not connect"
        page.wait_for_timeout(50)
