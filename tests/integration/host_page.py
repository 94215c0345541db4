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

    def page(self, name: str, console_url: str, token: str | None = None, **data: str) -> str:
        """`data`: more or other data- attributes, e.g. text_color="black" for data-text-color."""
        data = {"server": console_url, "title": "Help", "color": "#6a1b9a", **({"customer_token": token} if token else {}), **data}
        attributes = "".join(f' data-{key.replace("_", "-")}="{html.escape(value)}"' for key, value in data.items())
        (self.folder / name).write_text(
            f"<!doctype html><html><head><title>My shop</title><style>{HOSTILE_HOST_CSS}</style></head>"
            f"<body><h1>My own shop</h1><script>window.hostScriptRan = true;</script>"
            f'<script src="{console_url}/widget.js" async{attributes}></script></body></html>'
        )
        return f"{self.url}/{name}"

    def close(self) -> None:
        self.server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass
