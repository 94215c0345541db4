"""Message limits: when the shared counts' storage (Redis) is unreachable, customers get through."""

import logging

import pytest

from console.errors import ApiError
from console.rate_limits import MessageRateLimits


def test_an_unreachable_storage_lets_messages_through_and_says_so(caplog):
    limits = MessageRateLimits("1/minute", "1/minute", "redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING, logger="console.rate_limits"):
        limits.check("c1", "203.0.113.7")
        limits.check("c1", "203.0.113.7")  # over the limit, but nothing can count it: not refused
    assert "storage is unreachable" in caplog.text


def test_limits_still_hold_with_a_working_storage():
    limits = MessageRateLimits("1/minute", "10/minute")
    limits.check("c1", "203.0.113.7")
    with pytest.raises(ApiError) as refused:
        limits.check("c1", "203.0.113.7")
    assert refused.value.status_code == 429
