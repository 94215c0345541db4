"""`kizuna run` uses this machine's Redis only when the operator has not chosen, and only if it answers."""

import pytest

from operations.local_redis import answers, use_local_redis
from kizuna.settings import Settings


def test_nothing_answers_on_a_closed_port():
    assert answers("redis://127.0.0.1:1/0", timeout=0.2) is False


def test_the_operators_choice_wins_even_when_empty():
    environ = {"KIZUNA_REDIS_URL": ""}
    assert use_local_redis(environ) is None and environ == {"KIZUNA_REDIS_URL": ""}


def test_no_redis_leaves_the_environment_alone():
    environ: dict[str, str] = {}
    assert use_local_redis(environ, "redis://127.0.0.1:1/0") is None and environ == {}


def test_a_local_redis_that_answers_is_used(redis_url):
    environ: dict[str, str] = {}
    assert use_local_redis(environ, redis_url) == redis_url and environ["KIZUNA_REDIS_URL"] == redis_url


@pytest.mark.parametrize("redis_url, workers, expected", [("", 2, 1), ("redis://127.0.0.1:6379/0", 2, 2),
                                                          ("redis://127.0.0.1:6379/0", 0, 1)])
def test_several_rasa_workers_only_with_a_shared_lock_store(redis_url, workers, expected):
    assert Settings(redis_url=redis_url, rasa_workers=workers).effective_rasa_workers == expected
