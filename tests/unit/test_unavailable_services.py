"""A test whose service (PostgreSQL, Redis, Chromium, nginx) is missing: skipped on a laptop, failed on CI."""

from __future__ import annotations

import pytest

from tests.conftest import unavailable

REASON = "Redis not reachable at redis://127.0.0.1:6379/0: start one, or set KIZUNA_TEST_REDIS_URL"


@pytest.mark.parametrize("ci", ["true", "1", "TRUE"])
def test_on_ci_a_missing_service_fails_the_test(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI must provide this: Redis not reachable"):
        unavailable(REASON)


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_elsewhere_a_missing_service_skips_with_how_to_get_it(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="start one, or set KIZUNA_TEST_REDIS_URL"):
        unavailable(REASON)
