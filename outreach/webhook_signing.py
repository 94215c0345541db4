"""The webhook signature: `Kizuna-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
The timestamp is signed with the body, so a receiver that rejects old timestamps also rejects replays."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Optional

SIGNATURE_HEADER = "Kizuna-Signature"
EVENT_ID_HEADER = "Kizuna-Event-Id"
EVENT_TYPE_HEADER = "Kizuna-Event-Type"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """The signature header is missing, malformed, wrong or too old."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>"."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: Optional[int] = None) -> str:
    """The value of the Kizuna-Signature header for this body."""
    if not secret:
        raise ValueError("a webhook secret is required to sign")
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={signature(secret, moment, body)}"


def parse_header(header: str) -> tuple[int, list[str]]:
    """The timestamp and every v1 signature of a header (a rotated secret may add a second v1)."""
    timestamp: Optional[int] = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("malformed signature header: expected t=<unix seconds>,v1=<hex>")
    return timestamp, signatures


def verify(secret: str, body: bytes, header: str, *, tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
           now: Optional[float] = None) -> int:
    """Check the header against the raw body; returns the signed timestamp or raises SignatureError."""
    timestamp, signatures = parse_header(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise SignatureError("signature timestamp outside the tolerance (replayed or clock skew)")
    expected = signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("signature does not match")
    return timestamp
