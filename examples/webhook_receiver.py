"""A receiver of kizuna's webhook events, with Python's standard library only: it checks each delivery's
signature and timestamp, rejects replays older than five minutes, ignores an event it has already handled,
and prints each event as one JSON line.

    KIZUNA_WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py --port 8081

then `kizuna webhooks add http://<this host>:8081/ --event all` (the secret is the one `add` printed).
Answer 2xx quickly and do slow work afterwards: kizuna waits 5 seconds and then tries again later.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import sys
import time
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Lock
from typing import Any, Callable, Optional

TOLERANCE_SECONDS = 300  # older signatures are replays (or a clock far off): rejected
MAX_BODY_BYTES = 1_000_000
REMEMBERED_EVENTS = 10_000


class InvalidSignature(Exception):
    """The delivery was not signed with our secret, or it was signed too long ago."""


def verify(secret: str, body: bytes, header: str, *, now: Optional[float] = None,
           tolerance_seconds: int = TOLERANCE_SECONDS) -> int:
    """Check `Kizuna-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` against the raw
    body; returns the signed timestamp or raises InvalidSignature."""
    fields: dict[str, list[str]] = {}
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    timestamps, signatures = fields.get("t", []), [value for value in fields.get("v1", []) if value]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        raise InvalidSignature("malformed Kizuna-Signature header")
    timestamp = int(timestamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance_seconds:
        raise InvalidSignature("timestamp older than five minutes (or in the future): a replay?")
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, signature) for signature in signatures):
        raise InvalidSignature("signature does not match")
    return timestamp


class SeenEvents:
    """The ids of the latest events handled: a delivery may come twice (its answer was lost), handle it once."""

    def __init__(self, size: int = REMEMBERED_EVENTS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size, self._lock = size, Lock()

    def first_time(self, event_id: str) -> bool:
        with self._lock:
            if event_id in self._ids:
                return False
            self._ids[event_id] = None
            if len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def make_handler(secret: str, on_event: Callable[[dict[str, Any]], None]) -> type[BaseHTTPRequestHandler]:
    seen = SeenEvents()

    class WebhookHandler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = self.headers.get("Content-Length", "")
            length = int(length) if length.isdigit() else 0
            if length <= 0 or length > MAX_BODY_BYTES:
                return self._answer(400, "missing or oversized body")
            body = self.rfile.read(length)
            try:
                verify(secret, body, self.headers.get("Kizuna-Signature", ""))
            except InvalidSignature as error:
                return self._answer(401, str(error))
            event = json.loads(body)  # only parsed once it is known to come from kizuna
            if seen.first_time(event["id"]):
                on_event(event)
            self._answer(204)

        def _answer(self, status: int, reason: str = "") -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(reason.encode())))
            self.end_headers()
            self.wfile.write(reason.encode())

        def log_message(self, format: str, *args: Any) -> None:  # quiet: events go to stdout as JSON lines
            pass

    return WebhookHandler


def serve(secret: str, host: str, port: int, on_event: Callable[[dict[str, Any]], None]) -> ThreadingHTTPServer:
    """A server ready to `serve_forever()`; port 0 picks a free one (see `server.server_port`)."""
    if not secret:
        raise ValueError("the endpoint's secret is required (KIZUNA_WEBHOOK_SECRET)")
    return ThreadingHTTPServer((host, port), make_handler(secret, on_event))


def print_event(event: dict[str, Any]) -> None:
    print(json.dumps(event, ensure_ascii=False), flush=True)


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description="Receive kizuna's signed webhook events and print them.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    args = parser.parse_args(argv)
    server = serve(os.environ.get("KIZUNA_WEBHOOK_SECRET", ""), args.host, args.port, print_event)
    print(f"listening on http://{args.host}:{server.server_port}/", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
