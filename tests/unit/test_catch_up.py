"""Turns the bot missed are caught up once Rasa answers again, even when no customer writes after the miss."""

from __future__ import annotations

import asyncio

import httpx

from console.customer_turns import CustomerTurns
from console.live_hub import LiveHub


class Rasa:
    def __init__(self, up: bool) -> None:
        self.up = up

    async def status(self) -> dict:
        if not self.up:
            raise httpx.ConnectError("refused")
        return {"model_id": "m", "model_file": "m.tar.gz"}


def _catch_ups_within(turns: CustomerTurns, seconds: float) -> int:
    started: list[int] = []
    turns.catch_up = lambda: started.append(1)  # type: ignore[method-assign]

    async def run() -> None:
        try:
            await asyncio.wait_for(turns.keep_catching_up(every_seconds=0.01), timeout=seconds)
        except asyncio.TimeoutError:
            pass

    asyncio.run(run())
    return len(started)


def test_a_miss_is_caught_up_once_rasa_answers_its_status():
    turns = CustomerTurns(None, Rasa(up=True), LiveHub())  # type: ignore[arg-type]
    turns._missed_turns = True
    assert _catch_ups_within(turns, 0.1) > 0


def test_nothing_is_started_while_rasa_is_down_or_nothing_was_missed():
    down = CustomerTurns(None, Rasa(up=False), LiveHub())  # type: ignore[arg-type]
    down._missed_turns = True
    assert _catch_ups_within(down, 0.1) == 0
    nothing_missed = CustomerTurns(None, Rasa(up=True), LiveHub())  # type: ignore[arg-type]
    nothing_missed._missed_turns = False
    assert _catch_ups_within(nothing_missed, 0.1) == 0
