"""How fast customers may write: per conversation and per address, moving windows from `limits`
(in memory by default; a redis:// storage shares the counts between console replicas)."""

from __future__ import annotations

import logging
import math
import time

from limits import parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from console.errors import ApiError

logger = logging.getLogger(__name__)


class MessageRateLimits:
    def __init__(self, per_conversation: str, per_address: str, storage_uri: str = "memory://") -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri, wrap_exceptions=True))
        self.per_conversation, self.per_address = parse(per_conversation), parse(per_address)

    def check(self, conversation_id: str, address: str) -> None:
        """Count one message; 429 with Retry-After (and nothing stored, nothing counted) when a limit is reached.
        When the counts' storage (Redis) cannot be reached, customers are let through rather than refused."""
        try:
            self._check(conversation_id, address)
        except StorageError as error:
            logger.warning("rate limits not applied, their storage is unreachable: %s", error)

    def _check(self, conversation_id: str, address: str) -> None:
        limits = ((self.per_address, address, "from your address"), (self.per_conversation, conversation_id, "in this conversation"))
        for limit, key, what in limits:
            if not self.limiter.test(limit, "message", key):
                raise ApiError(429, "rate_limited", f"too many messages {what}; please wait a moment",
                               headers={"Retry-After": str(self._retry_after(limit, key))})
        for limit, key, _ in limits:
            self.limiter.hit(limit, "message", key)

    def _retry_after(self, limit, key: str) -> int:  # type: ignore[no-untyped-def]
        return seconds_until_reset(self.limiter, limit, "message", key)


def seconds_until_reset(limiter: MovingWindowRateLimiter, limit, namespace: str, key: str) -> int:  # type: ignore[no-untyped-def]
    """For Retry-After: whole seconds (at least 1) until the limit lets this key in again."""
    reset_at = limiter.get_window_stats(limit, namespace, key).reset_time
    return max(1, math.ceil(reset_at - time.time()))
