"""Order look-ups: a form asks for the order number, then one action answers by topic."""

from __future__ import annotations

from typing import Any, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.retention_dialogue import present_pending
from actions.order_replies import (
    CANCELLABLE_STATUSES,
    cancellation_text,
    invoice_text,
    order_status_text,
    refund_status_text,
)
from kizuna.db.engine import session_scope
from kizuna.db.shop_repository import ShopRepository, normalise_order_number
from kizuna.shop import get_shop_config

CONFIRM_BUTTONS = [
    {"title": "Yes, cancel it", "payload": "/affirm"},
    {"title": "No, keep it", "payload": "/deny"},
]


class ValidateOrderNumberForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_order_number_form"

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        """Accept a bare number typed in answer to 'what is your order number?'."""
        if tracker.get_slot("requested_slot") != "order_id":
            return {}
        number = normalise_order_number((tracker.latest_message or {}).get("text"))
        return {"order_id": number} if number else {}

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        number = normalise_order_number(str(value) if value is not None else None)
        if number is None:
            dispatcher.utter_message(text="That doesn't look like an order number. It has 5 digits, e.g. 10023.")
            return {"order_id": None}
        with session_scope() as session:
            found = ShopRepository(session).find_order(number) is not None
        if not found:
            dispatcher.utter_message(
                text=f"I couldn't find an order with the number {number}. Please check it in your "
                "order confirmation e-mail, or say 'stop' if you don't have it."
            )
            return {"order_id": None}
        return {"order_id": number}


class ActionOrderLookup(Action):
    def name(self) -> Text:
        return "action_order_lookup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        number = normalise_order_number(tracker.get_slot("order_id"))
        topic = tracker.get_slot("order_topic") or "track"
        shop = get_shop_config()
        with session_scope() as session:
            repository = ShopRepository(session)
            order = repository.find_order(number) if number else None
            if order is None:
                dispatcher.utter_message(text="I couldn't find that order. Could you check the number?")
                return [SlotSet("order_id", None)]
            if topic == "refund":
                text = refund_status_text(order, repository.latest_refund(order), shop.facts["refund_window_days"])
            elif topic == "invoice":
                text = invoice_text(order, repository.latest_invoice(order), shop.facts["account_url"])
            elif topic == "cancel":
                present_pending(dispatcher, tracker.sender_id)  # a retention offer comes before the confirmation
                return _offer_cancellation(dispatcher, order, shop.facts["cancellation_fee"])
            else:
                text = order_status_text(order)
        dispatcher.utter_message(text=text)
        present_pending(dispatcher, tracker.sender_id)
        return []


def _offer_cancellation(dispatcher: CollectingDispatcher, order: Any, fee: str) -> list[dict[str, Any]]:
    cancellable = order.status in CANCELLABLE_STATUSES
    dispatcher.utter_message(text=cancellation_text(order, fee), buttons=CONFIRM_BUTTONS if cancellable else [])
    return [SlotSet("awaiting_cancel_confirmation", cancellable)]


class ActionCancelOrder(Action):
    def name(self) -> Text:
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        number = normalise_order_number(tracker.get_slot("order_id"))
        with session_scope() as session:
            order = ShopRepository(session).find_order(number) if number else None
            text = _cancel(order)
        dispatcher.utter_message(text=text)
        present_pending(dispatcher, tracker.sender_id)
        return [SlotSet("awaiting_cancel_confirmation", False)]


def _cancel(order: Optional[Any]) -> str:
    if order is None:
        return "I couldn't find that order any more, so nothing was cancelled."
    if order.status not in CANCELLABLE_STATUSES:
        return f"Order {order.order_number} can no longer be cancelled: it is {order.status}."
    order.status = "cancelled"
    return f"Done: order {order.order_number} is cancelled. Any payment is refunded within a few working days."


class ActionKeepOrder(Action):
    def name(self) -> Text:
        return "action_keep_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text="Alright, your order stays as it is. Anything else I can do?")
        present_pending(dispatcher, tracker.sender_id)
        return [SlotSet("awaiting_cancel_confirmation", False)]
