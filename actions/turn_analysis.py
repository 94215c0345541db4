"""The turn analysis as a Rasa action.

Rasa runs the custom action named `action_validate_slot_mappings` after each user message
(as part of its slot extraction step), whatever the dialogue state, inside forms too. That makes
it the one place that sees every turn; it may only return slot events. The work itself is the
turn core's (`turn_core.analysis`).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import current_turn
from turn_core.analysis import analyse_turn

logger = logging.getLogger(__name__)


class ActionAnalyzeTurn(Action):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        turn = current_turn(tracker)
        if turn is None:
            return []
        try:
            trend = analyse_turn(turn)
        except Exception:  # the dialogue must go on; the console keeps the message for a later backfill
            logger.exception("could not record turn %s of conversation %s", turn.turn_key, turn.conversation_id)
            return []
        return [SlotSet("negative_trend", trend.negative_trend)] if trend is not None else []
