"""How many passwords a username and an address may try: each attempt is counted before its password is
checked, in one atomic step of `limits`, so concurrent guesses cannot slip past the limit (memory by default;
a redis:// storage shares the counts between console replicas). The database's record of failed logins
still throttles across restarts; a successful login starts both counts afresh."""

from __future__ import annotations

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from console.rate_limits import seconds_until_reset
from kizuna.accounts import MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USERNAME, THROTTLE_WINDOW, LoginThrottled

NAMESPACE = "login"


class LoginAttempts:
    def __init__(self, storage_uri: str = "memory://") -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
        self.per_username = RateLimitItemPerMinute(MAX_FAILURES_PER_USERNAME, minutes)
        self.per_address = RateLimitItemPerMinute(MAX_FAILURES_PER_ADDRESS, minutes)

    def admit(self, username: str, address: str) -> None:
        """Count one attempt, or raise LoginThrottled (its password must then not be checked)."""
        for limit, key in self._keys(username, address):
            if not self.limiter.hit(limit, NAMESPACE, key):
                raise LoginThrottled(self._retry_after(limit, key))

    def succeeded(self, username: str, address: str) -> None:
        for limit, key in self._keys(username, address):
            self.limiter.clear(limit, NAMESPACE, key)

    def _keys(self, username: str, address: str) -> tuple[tuple[RateLimitItemPerMinute, str], ...]:
        # as kizuna.accounts reads them, so "Sam " and "sam" share one count
        return (self.per_username, f"user:{username.strip().lower()[:80]}"), (self.per_address, f"address:{address[:64]}")

    def _retry_after(self, limit: RateLimitItemPerMinute, key: str) -> int:
        return seconds_until_reset(self.limiter, limit, NAMESPACE, key)
