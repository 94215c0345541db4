"""Signed customer tokens: the shop's backend vouches for who is chatting.

A token is `<customer id>:<expiry, unix seconds>:<signature>`, where the signature is the hex
HMAC-SHA256 of `<customer id>:<expiry>` under the shared widget secret. The customer id may itself
contain colons, so the token is read from the right.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Optional

MAX_TOKEN_CHARS = 256
_CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")


class TokenRefused(ValueError):
    """The token is malformed, forged or expired; `reason` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign(customer_id: str, expires_at: int, secret: str) -> str:
    return hmac.new(secret.encode(), f"{customer_id}:{expires_at}".encode(), hashlib.sha256).hexdigest()


def make_token(customer_id: str, secret: str, ttl_seconds: int = 3600, now: Optional[float] = None) -> str:
    if not _CUSTOMER_ID.match(customer_id):
        raise ValueError(f"customer id {customer_id!r} must be 1-64 letters, digits or _.:@-")
    expires_at = int((time.time() if now is None else now) + ttl_seconds)
    return f"{customer_id}:{expires_at}:{sign(customer_id, expires_at, secret)}"


def verify_token(token: str, secret: str, now: Optional[float] = None) -> str:
    """The customer id the token vouches for; raises TokenRefused otherwise."""
    if not secret:
        raise TokenRefused("no_secret")
    if len(token) > MAX_TOKEN_CHARS or token.count(":") < 2:
        raise TokenRefused("malformed")
    customer_id, expiry, signature = token.rsplit(":", 2)
    if not expiry.isdigit() or not _CUSTOMER_ID.match(customer_id):
        raise TokenRefused("malformed")
    if not hmac.compare_digest(signature, sign(customer_id, int(expiry), secret)):
        raise TokenRefused("bad_signature")
    if int(expiry) < (time.time() if now is None else now):
        raise TokenRefused("expired")
    return customer_id
