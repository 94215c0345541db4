"""Whose orders the assistant may show or change in a conversation.

A signed-in customer (the console stored who they are with the conversation) reaches their own orders.
An anonymous visitor reaches an order once they proved it is theirs in this conversation: its number
plus a second factor (data/shop.yml `order_verification`), compared in constant time, with a cap on
tries. Proved orders are kept in a slot only actions set, so they last for this conversation only.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from kizuna.db.models import Order
from kizuna.db.shop_repository import ShopRepository, conversation_customer_id
from kizuna.personal_data import EMAIL
from kizuna.settings import get_settings
from kizuna.shop import get_shop_config

VERIFIED_SLOT = "verified_orders"


@dataclass(frozen=True)
class Chatter:
    """Who is writing: a signed-in customer's id, or None; and the orders proved in this conversation."""

    customer_id: Optional[int]
    verified: frozenset[str]

    @property
    def signed_in(self) -> bool:
        return self.customer_id is not None

    def needs_proof(self, order_number: Optional[str]) -> bool:
        return not self.signed_in and order_number not in self.verified


def who_is_chatting(session: Session, tracker: Tracker) -> Chatter:
    """Read from the app database, never from anything the customer typed."""
    verified = tracker.get_slot(VERIFIED_SLOT) or []
    return Chatter(conversation_customer_id(session, tracker.sender_id), frozenset(str(n) for n in verified))


def accessible_order(repository: ShopRepository, chatter: Chatter, order_number: Optional[str]) -> Optional[Order]:
    """The order when this chatter may see and act on it, else None (the same as for an order that does not exist)."""
    if not order_number:
        return None
    if order_number in chatter.verified:
        return repository.find_order(order_number)
    if chatter.signed_in:
        return repository.find_customer_order(order_number, chatter.customer_id)  # type: ignore[arg-type]
    return None


def extract_second_factor(text: str, factor: str) -> Optional[str]:
    """The e-mail address (or the name) in the visitor's answer, or None when there is none."""
    if factor == "email":
        match = EMAIL.search(text or "")
        return match.group(0) if match else None
    name = " ".join((text or "").split())
    return name if sum(c.isalpha() for c in name) >= 2 else None


def second_factor_matches(order: Optional[Order], given: str, factor: str) -> bool:
    """Constant-time comparison of normalised values; a missing order compares against nothing and fails."""
    expected = _expected(order, factor)
    same = hmac.compare_digest(_fingerprint(given), _fingerprint(expected or ""))  # equal lengths: nothing leaks
    return same and bool(expected)


def _expected(order: Optional[Order], factor: str) -> Optional[str]:
    if order is None or order.customer is None or order.customer.erased_at is not None:
        return None
    return order.customer.email if factor == "email" else order.customer.name


def _normalise(value: str) -> str:
    return " ".join(value.split()).casefold()


def _fingerprint(value: str) -> bytes:
    return hashlib.sha256(_normalise(value).encode()).digest()


class ProofAttempts:
    """Tries to prove an order, counted per conversation, per second-factor value and per order number."""

    def __init__(self, limit: str, storage_uri: str = "memory://") -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.limit = parse(limit)

    def conversation_locked(self, conversation_id: str) -> bool:
        return not self.limiter.test(self.limit, "order_proof", "conversation", conversation_id)

    def count(self, conversation_id: str, order_number: str, given: str) -> bool:
        """Count one try (each counter atomically); False when a limit was already reached."""
        keys = (("conversation", conversation_id), ("factor", _digest(given)), ("order", order_number))
        allowed = [self.limiter.hit(self.limit, "order_proof", kind, key) for kind, key in keys]
        return all(allowed)


def _digest(value: str) -> str:
    """Counters are keyed by a digest, so no address is written to the counter storage in clear."""
    return hashlib.sha256(b"order-proof:" + _normalise(value).encode()).hexdigest()


@lru_cache(maxsize=4)
def _attempts(limit: str, storage_uri: str) -> ProofAttempts:
    return ProofAttempts(limit, storage_uri)


def proof_attempts() -> ProofAttempts:
    """Shared by every action of this process; in Redis (KIZUNA_REDIS_URL) shared by all action servers."""
    return _attempts(get_shop_config().order_verification.tries, get_settings().effective_rate_limit_storage)


def reset_proof_attempts() -> None:
    _attempts.cache_clear()
