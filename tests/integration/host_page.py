"""A shop's own page on another origin, with the widget pasted in: a static file server in a thread."""

from __future__ import annotations

import functools
import html
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# The host page fights the widget: global styles that would wreck anything not isolated.
HOSTILE_HOST_CSS = "* { font: 40px serif !important; color: red !important; } button { display: none !important; }"


class HostPage:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, name: str, console_url: str, token: str | None = None) -> str:
        token_attribute = f' data-customer-token="{html.escape(token)}"' if token else ""
        (self.folder / name).write_text(
            f"<!doctype html><html><head><title>My shop</title><style>{HOSTILE_HOST_CSS}</style></head>"
            f"<body><h1>My own shop</h1><script>window.hostScriptRan = true;</script>"
            f'<script src="{console_url}/widget.js" async data-server="{console_url}" data-title="Help"'
            f' data-color="#6a1b9a"{token_attribute}></script></body></html>'
        )
        return f"{self.url}/{name}"

    def close(self) -> None:
        self.server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass
