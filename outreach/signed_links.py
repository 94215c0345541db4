"""Links in campaign e-mail that nobody can forge: each token names what it is for (open, click, unsubscribe)
and the ids it acts on, signed with HMAC-SHA256 under the link secret. A token signed for one purpose is
worthless for another; a changed character makes it unreadable."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Optional

OPEN, CLICK, UNSUBSCRIBE = "open", "click", "unsubscribe"
PURPOSES = (OPEN, CLICK, UNSUBSCRIBE)
_SIGNATURE_BYTES = 16  # 128 bits: forging one is out of reach, and the links stay short
_MAX_TOKEN_CHARS = 200


class LinkSecretMissing(RuntimeError):
    """No link secret is configured (KIZUNA_LINK_SECRET or var/secrets.json from `kizuna setup`)."""


def sign(secret: str, purpose: str, *ids: int) -> str:
    """A token like "12-34.<signature>" for the ids, valid only for this purpose."""
    value = "-".join(str(int(number)) for number in ids)
    return f"{value}.{_signature(secret, purpose, value)}"


def verify(secret: str, purpose: str, token: str) -> Optional[tuple[int, ...]]:
    """The ids a genuine token carries; None for anything else (tampered, another purpose, malformed)."""
    if not secret or len(token) > _MAX_TOKEN_CHARS or token.count(".") != 1:
        return None
    value, signature = token.split(".")
    expected = _signature(secret, purpose, value)
    if not hmac.compare_digest(signature.encode("ascii", "replace"), expected.encode("ascii")):
        return None
    parts = value.split("-")
    if not all(part.isdigit() and part.isascii() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def _signature(secret: str, purpose: str, value: str) -> str:
    if not secret:
        raise LinkSecretMissing("no link secret: set KIZUNA_LINK_SECRET or run `kizuna setup`")
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    digest = hmac.new(secret.encode("utf-8"), f"{purpose}:{value}".encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_SIGNATURE_BYTES]).rstrip(b"=").decode("ascii")


def open_url(public_url: str, secret: str, contact_id: int) -> str:
    return f"{public_url}/o/{sign(secret, OPEN, contact_id)}.gif"


def click_url(public_url: str, secret: str, contact_id: int) -> str:
    return f"{public_url}/c/{sign(secret, CLICK, contact_id)}"


def unsubscribe_url(public_url: str, secret: str, customer_id: int, contact_id: int) -> str:
    return f"{public_url}/unsubscribe/{sign(secret, UNSUBSCRIBE, customer_id, contact_id)}"
