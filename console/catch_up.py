"""Turns the bot missed while it was down, analysed in the background once it is back."""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

from fastapi.concurrency import run_in_threadpool

from kizuna import rasa_client
from kizuna.rasa_client import RasaClient

logger = logging.getLogger(__name__)


class CatchUp:
    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa
        self.pending = True  # until the first answered turn shows the bot is up: catch up on earlier misses
        self._task: Optional[asyncio.Task] = None

    def note_miss(self) -> None:
        """Called once the missed message's status is stored: before that, a catch-up would not find it."""
        self.pending = True

    def start(self) -> None:
        """One catch-up at a time; a miss during one is caught up by the next."""
        if self._task is not None and not self._task.done():
            return
        self.pending = False
        self._task = asyncio.get_running_loop().create_task(run_in_threadpool(self._backfill))

    async def due(self) -> bool:
        return self.pending and await self._rasa_is_back()

    async def _rasa_is_back(self) -> bool:
        """Rasa answers with a model loaded (what the console's health page reports as ok)."""
        return (await rasa_client.model_status(self.rasa))["ok"]

    def _backfill(self) -> None:
        from turn_core.backfill import backfill  # the sentiment model loads only when there are turns to catch up

        try:
            result = backfill(rasa_client.intent_of(self.rasa.base_url, self.rasa.token))
            logger.info("analysed the messages missed while the bot was down: %s", result)
        except Exception:
            logger.exception("could not analyse the missed messages; `kizuna backfill` does it")
