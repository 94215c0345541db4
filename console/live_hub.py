"""Pushes new messages to the live connections of a conversation.

`LiveHub` delivers within this process: enough for one console. With several console replicas a
customer's widget and the agent's page may be connected to different replicas, so `RedisLiveHub`
sends every event through Redis pub/sub and each replica delivers what it receives to its own
connections (its own events included, so the order is the same everywhere).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any

import redis.asyncio as redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
Event = dict[str, Any]


class LiveHub:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Event]]] = defaultdict(set)

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    def subscribe(self, conversation_id: str) -> asyncio.Queue[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=1000)
        self._queues[conversation_id].add(queue)
        return queue

    def unsubscribe(self, conversation_id: str, queue: asyncio.Queue[Event]) -> None:
        self._queues[conversation_id].discard(queue)
        if not self._queues[conversation_id]:
            del self._queues[conversation_id]

    def publish(self, conversation_id: str, event: Event) -> None:
        self.deliver(conversation_id, event)

    def deliver(self, conversation_id: str, event: Event) -> None:
        """To this process's connections of the conversation."""
        for queue in list(self._queues.get(conversation_id, ())):
            if not queue.full():
                queue.put_nowait(event)


class RedisLiveHub(LiveHub):
    CHANNEL = "kizuna:live"

    def __init__(self, url: str) -> None:
        super().__init__()
        self._redis = redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._outbox: asyncio.Queue[tuple[str, Event]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        subscribed = asyncio.Event()
        self._tasks = [asyncio.create_task(self._send()), asyncio.create_task(self._receive(subscribed))]
        try:
            await asyncio.wait_for(subscribed.wait(), timeout=5)
        except asyncio.TimeoutError:
            logger.warning("live delivery: Redis is not reachable yet; events reach other replicas once it is")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._redis.aclose()

    def publish(self, conversation_id: str, event: Event) -> None:
        self._outbox.put_nowait((conversation_id, event))  # one sender keeps the order

    async def _send(self) -> None:
        while True:
            conversation_id, event = await self._outbox.get()
            try:
                await self._redis.publish(self.CHANNEL, json.dumps({"conversation_id": conversation_id, "event": event}))
            except RedisError as error:
                logger.warning("live delivery through Redis failed (%s); delivering on this replica only", type(error).__name__)
                self.deliver(conversation_id, event)

    async def _receive(self, subscribed: asyncio.Event) -> None:
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.CHANNEL)
                    subscribed.set()
                    async for message in pubsub.listen():
                        self._deliver_raw(message.get("data"))
            except (RedisError, OSError) as error:
                logger.warning("live delivery: lost Redis (%s); reconnecting", type(error).__name__)
                await asyncio.sleep(1)

    def _deliver_raw(self, data: Any) -> None:
        try:
            payload = json.loads(data)
            self.deliver(str(payload["conversation_id"]), dict(payload["event"]))
        except (TypeError, ValueError, KeyError) as error:
            logger.warning("live delivery: ignored a malformed event (%s)", type(error).__name__)


def live_hub(redis_url: str) -> LiveHub:
    return RedisLiveHub(redis_url) if redis_url else LiveHub()
