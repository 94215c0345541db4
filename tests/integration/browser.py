"""Headless Chromium for the browser tests (Debian's package; never a downloaded browser)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

from tests.conftest import unavailable

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or (str(Path("/usr/bin/chromium")) if Path("/usr/bin/chromium").exists() else None)


def launch_chromium() -> Iterator[object]:
    """A Playwright browser, or a skip (a failure on CI) that says how to get one."""
    path = chromium_path()
    if path is None:
        unavailable("Chromium is not installed: `make browser` (apt-get install chromium) enables the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
