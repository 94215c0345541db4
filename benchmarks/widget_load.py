"""Time from page load to a usable chat widget, in headless Chromium against a real console.

    .venv/bin/python benchmarks/widget_load.py [--loads 30]

Each load opens the demo storefront in a fresh browser context (empty cache, as a first visit)
and reads two times from the page, both since navigation start:
  page load   the page's own `load` event (the baseline, same page, same run)
  ready       the widget drawn and its live connection open (the `kizuna:ready` event)
Prints p50/p95 of both, the widget's extra time after `load`, their ratio, and the script size.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

from kizuna.db.migrate import upgrade
from retraining.rasa_env import free_port
from kizuna.settings import Settings
from operations.stack import Stack

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
READY_JS = """() => new Promise(resolve => {
  const load = () => performance.getEntriesByType('navigation')[0].loadEventEnd;
  const done = detail => { const wait = () => load() > 0 ? resolve({ready: detail.ms, load: load()}) : setTimeout(wait, 5); wait(); };
  if (window.kizunaWidget) window.kizunaWidget.ready.then(done); else window.addEventListener('kizuna:ready', e => done(e.detail));
})"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def console_only(var_dir: Path) -> Stack:
    url = f"sqlite:///{var_dir / 'kizuna.db'}"
    upgrade(url)
    settings = Settings(var_dir=var_dir, database_url=url, console_port=free_port(), rasa_url=f"http://127.0.0.1:{free_port()}")
    stack = Stack(settings, var_dir / "logs")
    stack.start_console_only()
    return stack


def measure(console_url: str, loads: int) -> list[dict[str, float]]:
    from playwright.sync_api import sync_playwright

    samples = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        for index in range(loads + 1):
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{console_url}/")
            sample = page.evaluate(READY_JS)
            if index:  # the first load warms the console's caches, not the browser's
                samples.append(sample)
            context.close()
        browser.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=30, help="page loads to time (default 30)")
    args = parser.parse_args()
    if shutil.which("chromium") is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as folder:
        stack = console_only(Path(folder))
        try:
            script = httpx.get(f"{stack.console_url}/widget.js").content
            samples = measure(stack.console_url, args.loads)
        finally:
            stack.stop()
    ready = [s["ready"] for s in samples]
    load = [s["load"] for s in samples]
    extra = [s["ready"] - s["load"] for s in samples]
    print(json.dumps({
        "loads": len(samples),
        "script_bytes": len(script), "script_gzip_bytes": len(gzip.compress(script, 9)),
        "page_load_ms": {"p50": round(statistics.median(load), 1), "p95": round(percentile(load, 0.95), 1)},
        "widget_ready_ms": {"p50": round(statistics.median(ready), 1), "p95": round(percentile(ready, 0.95), 1)},
        "ready_after_load_ms": {"p50": round(statistics.median(extra), 1), "p95": round(percentile(extra, 0.95), 1)},
        "ratio_ready_to_load_p50": round(statistics.median(ready) / statistics.median(load), 2),
    }, indent=2))


if __name__ == "__main__":
    main()
