"""One catch-up of the bot's missed turns at a time; a miss during one is caught up by the next."""

from __future__ import annotations

import asyncio
import threading

from console.catch_up import CatchUp


class Rasa:
    async def status(self) -> dict:
        return {"model_id": "m", "model_file": "m.tar.gz"}


def test_a_second_start_while_one_runs_starts_nothing_and_a_miss_meanwhile_stays_pending():
    catch_up = CatchUp(Rasa())  # type: ignore[arg-type]
    release, runs = threading.Event(), []

    def backfill() -> None:
        runs.append(1)
        release.wait(5)

    catch_up._backfill = backfill  # type: ignore[method-assign]

    async def run() -> None:
        catch_up.start()
        assert not catch_up.pending
        catch_up.note_miss()
        catch_up.start()
        assert catch_up.pending and await catch_up.due()
        release.set()
        await catch_up._task  # type: ignore[misc]
        catch_up.start()
        assert not catch_up.pending
        await catch_up._task  # type: ignore[misc]

    asyncio.run(run())
    assert runs == [1, 1]


def test_nothing_is_due_when_nothing_was_missed():
    catch_up = CatchUp(Rasa())  # type: ignore[arg-type]
    catch_up.pending = False
    assert not asyncio.run(catch_up.due())
