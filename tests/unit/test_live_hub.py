"""Live delivery between console replicas: two hubs on the same Redis behave like two consoles."""

from __future__ import annotations

import asyncio
import uuid

import redis

from console.live_hub import LiveHub, RedisLiveHub


async def _two_replicas(url: str) -> tuple[RedisLiveHub, RedisLiveHub]:
    first, second = RedisLiveHub(url), RedisLiveHub(url)
    await first.start()
    await second.start()
    return first, second


async def _take(queue: asyncio.Queue, count: int) -> list:
    return [await asyncio.wait_for(queue.get(), timeout=5) for _ in range(count)]


def test_an_event_published_on_one_replica_reaches_connections_on_both(redis_url):
    async def scenario() -> None:
        first, second = await _two_replicas(redis_url)
        conversation = f"conv-{uuid.uuid4().hex}"
        on_first, on_second = first.subscribe(conversation), second.subscribe(conversation)
        other = second.subscribe(f"conv-{uuid.uuid4().hex}")
        events = [{"type": "message", "message": {"id": n, "text": f"turn {n}"}} for n in range(20)]
        for event in events:
            second.publish(conversation, event)
        assert await _take(on_first, 20) == events  # in order, on the replica that did not publish
        assert await _take(on_second, 20) == events  # and exactly once on the one that did
        await asyncio.sleep(0.2)
        assert on_first.empty() and on_second.empty() and other.empty()
        await first.stop()
        await second.stop()

    asyncio.run(scenario())


def test_malformed_events_on_the_channel_are_ignored(redis_url):
    async def scenario() -> None:
        hub = RedisLiveHub(redis_url)
        await hub.start()
        conversation = f"conv-{uuid.uuid4().hex}"
        queue = hub.subscribe(conversation)
        publisher = redis.from_url(redis_url)
        publisher.publish(RedisLiveHub.CHANNEL, b"\xff not json")
        publisher.publish(RedisLiveHub.CHANNEL, '{"conversation_id": "x"}')
        hub.publish(conversation, {"type": "message"})
        assert await _take(queue, 1) == [{"type": "message"}]
        await hub.stop()

    asyncio.run(scenario())


def test_without_redis_events_still_reach_this_replica():
    async def scenario() -> None:
        hub = RedisLiveHub("redis://127.0.0.1:1/0")  # nothing listens there
        await hub.start()
        queue = hub.subscribe("conv-1")
        hub.publish("conv-1", {"type": "message"})
        assert await _take(queue, 1) == [{"type": "message"}]
        await hub.stop()

    asyncio.run(scenario())


def test_the_local_hub_delivers_to_subscribers_of_the_conversation_only():
    hub = LiveHub()
    mine, theirs = hub.subscribe("a"), hub.subscribe("b")
    hub.publish("a", {"n": 1})
    assert mine.get_nowait() == {"n": 1} and theirs.empty()
    hub.unsubscribe("a", mine)
    hub.publish("a", {"n": 2})
    assert mine.empty()
