"""Answers written in the shop's configuration file, chosen by the customer's intent, followed by this
turn's offer or hand-off notice (retention_dialogue), or else, at the end of a chat, the rating request."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.digressions import leave_order_form
from actions.rating_request import ask_for_rating
from actions.retention_dialogue import present_pending
from kizuna.shop import ShopConfig, get_shop_config

# Answers that would read wrong next to a hand-off for an upset customer ("Thanks for wanting to share your
# opinion!" to a threat of a one-star review): when this turn escalates, an apology replaces them.
UNFIT_WHEN_ESCALATED = frozenset({"review", "thanks", "greet", "goodbye", "affirm", "deny", "out_of_scope",
                                  "nlu_fallback", "bot_challenge", "newsletter_subscription"})


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name") or "nlu_fallback"
        follow_up = CollectingDispatcher()
        shown = present_pending(follow_up, tracker.sender_id)
        answer = primary_answer(get_shop_config(), intent, shown)
        if answer:
            dispatcher.utter_message(text=answer)
        dispatcher.messages.extend(follow_up.messages)
        if shown is None:  # the chat ended with the bot: ask how it went
            ask_for_rating(dispatcher, tracker.sender_id, intent)
        return [] if intent == "nlu_fallback" else leave_order_form(tracker)


def primary_answer(shop: ShopConfig, intent: str, shown: Optional[str]) -> Optional[str]:
    """The answer before this turn's follow-up (`shown`: "offer", "escalate" or None)."""
    if shown == "escalate" and intent == "contact_human_agent":
        return None  # the hand-off notice is the answer
    if shown == "escalate" and intent in UNFIT_WHEN_ESCALATED:
        return shop.answer("sorry_escalated")
    return shop.answer(intent) or shop.answer("nlu_fallback")
