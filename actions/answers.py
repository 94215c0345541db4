"""Answers written in the shop's configuration file, chosen by the customer's intent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.digressions import leave_order_form
from actions.rating_request import ask_for_rating
from actions.retention_dialogue import present_pending
from kizuna.shop import get_shop_config


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or "nlu_fallback"
        shop = get_shop_config()
        shown = present_pending(dispatcher, tracker.sender_id) if intent == "contact_human_agent" else None
        if shown != "escalate":  # the handoff message replaces the generic "I'll ask a colleague" answer
            dispatcher.utter_message(text=shop.answer(intent) or shop.answer("nlu_fallback"))
        if shown is None:
            shown = present_pending(dispatcher, tracker.sender_id)
        if shown is None:  # the chat ended with the bot: ask how it went
            ask_for_rating(dispatcher, tracker.sender_id, intent)
        return [] if intent == "nlu_fallback" else leave_order_form(tracker)
