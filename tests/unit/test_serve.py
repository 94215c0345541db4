"""`kizuna serve`: rasa replicas take turns to load a promoted model."""

from __future__ import annotations

import uuid

from operations.serve import one_replica_at_a_time


def test_replicas_sharing_redis_load_one_at_a_time(redis_url):
    name = f"kizuna-test-lock-{uuid.uuid4().hex}"
    with one_replica_at_a_time(redis_url, name) as first:
        with one_replica_at_a_time(redis_url, name) as second:
            assert first and not second
    with one_replica_at_a_time(redis_url, name) as after:
        assert after


def test_without_redis_every_replica_loads_when_it_sees_the_promotion():
    with one_replica_at_a_time("", "any") as first, one_replica_at_a_time("", "any") as second:
        assert first and second
