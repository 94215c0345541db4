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
from actions.tracker_reading import latest_bot_event, latest_intent
from kizuna.shop import ShopConfig, get_shop_config

CORE_FALLBACK_RESPONSE = "utter_default"  # what Rasa says when no rule or story predicts a step
# Answers that would read wrong next to a hand-off for an upset customer ("Thanks for wanting to share your
# opinion!" to a threat of a one-star review): when this turn escalates, an apology replaces them.
UNFIT_WHEN_ESCALATED = frozenset({"review", "thanks", "greet", "goodbye", "affirm", "deny", "deny_at_the_end", "out_of_scope",
                                  "nlu_fallback", "bot_challenge", "newsletter_subscription"})


class ActionAnswer(Action):
    def name(self) -> str:
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = latest_intent(tracker) or "nlu_fallback"
        shop = get_shop_config()
        ends = chat_ends(intent, tracker, shop)
        follow_up = CollectingDispatcher()
        shown = present_pending(follow_up, tracker.sender_id)
        answer = primary_answer(shop, "deny_at_the_end" if ends and intent == "deny" else intent, shown)
        if answer:
            dispatcher.utter_message(text=answer)
        dispatcher.messages.extend(follow_up.messages)
        if ends and shown is None:  # the chat ended with the bot: ask how it went
            ask_for_rating(dispatcher, tracker.sender_id)
        return [] if intent == "nlu_fallback" else leave_order_form(tracker)


def chat_ends(intent: str, tracker: Tracker, shop: ShopConfig) -> bool:
    """A goodbye, or a "no" after an answer ("no thanks, that's all"); a "no" after the bot did not understand
    ("no, that's not what I asked") is not the end of the chat."""
    if intent == "goodbye":
        return True
    last = latest_bot_event(tracker)
    not_understood = (last.get("text") == shop.answer("nlu_fallback")
                      or (last.get("metadata") or {}).get("utter_action") == CORE_FALLBACK_RESPONSE)
    return intent == "deny" and not not_understood


def primary_answer(shop: ShopConfig, intent: str, shown: Optional[str]) -> Optional[str]:
    """The answer before this turn's follow-up (`shown`: "offer", "escalate" or None)."""
    if shown == "escalate" and intent == "contact_human_agent":
        return None  # the hand-off notice is the answer
    if shown == "escalate" and intent in UNFIT_WHEN_ESCALATED:
        return shop.answer("sorry_escalated")
    return shop.answer(intent) or shop.answer("nlu_fallback")
