"""The console keeps at most N turns with Rasa at once; a turn that cannot be sent in time is never sent."""

import asyncio

import httpx
import pytest

from kizuna.rasa_client import RasaBusy, RasaClient


def client_with(handler, max_in_flight: int, timeout: float) -> RasaClient:
    client = RasaClient("http://rasa.test", timeout=timeout, channel_token="t", max_in_flight=max_in_flight)
    client._client = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # the Rasa server's boundary
    return client


def test_a_turn_waiting_past_the_timeout_is_given_up_without_reaching_rasa():
    received: list[str] = []
    release = asyncio.Event()

    async def slow_rasa(request: httpx.Request) -> httpx.Response:
        received.append(request.read().decode())
        await release.wait()
        return httpx.Response(200, json=[{"text": "answer"}])

    async def scenario():
        client = client_with(slow_rasa, max_in_flight=1, timeout=0.3)
        first = asyncio.create_task(client.send("c1", "hello", {}))
        await asyncio.sleep(0.05)
        with pytest.raises(RasaBusy):
            await client.send("c2", "hello", {})
        release.set()
        replies = await first
        await client.close()
        return replies

    replies = asyncio.run(scenario())
    assert [r.text for r in replies] == ["answer"]
    assert len(received) == 1 and '"c1"' in received[0]  # c2 never reached Rasa


def test_turns_within_the_bound_go_through_together():
    running, most = 0, 0

    async def rasa(request: httpx.Request) -> httpx.Response:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.05)
        running -= 1
        return httpx.Response(200, json=[{"text": "ok"}])

    async def scenario():
        client = client_with(rasa, max_in_flight=3, timeout=5)
        results = await asyncio.gather(*(client.send(f"c{i}", "hi", {}) for i in range(9)))
        await client.close()
        return results

    results = asyncio.run(scenario())
    assert all(r[0].text == "ok" for r in results) and most == 3


def test_a_slot_that_comes_free_too_late_is_not_used():
    received: list[str] = []

    async def rasa(request: httpx.Request) -> httpx.Response:
        received.append(request.read().decode())
        await asyncio.sleep(1.5)
        return httpx.Response(200, json=[{"text": "ok"}])

    async def scenario():
        client = client_with(rasa, max_in_flight=1, timeout=2.0)
        first = asyncio.create_task(client.send("c1", "hi", {}))
        await asyncio.sleep(0.05)
        with pytest.raises(RasaBusy):  # the slot frees after 1.5 s: 0.5 s would be left, too little for a turn
            await client.send("c2", "hi", {})
        await first
        await client.close()

    asyncio.run(scenario())
    assert len(received) == 1
