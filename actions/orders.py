"""Order look-ups: a form asks for the order number (and, from an anonymous visitor, a proof that the
order is theirs), then one action answers by topic. Only the order's owner sees or changes it."""

from __future__ import annotations

import json
from typing import Any, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.order_access import (
    VERIFIED_SLOT,
    accessible_order,
    extract_second_factor,
    proof_attempts,
    second_factor_matches,
    who_is_chatting,
)
from actions.order_replies import (
    ASK_ORDER_NUMBER,
    CANCELLABLE_STATUSES,
    NOT_AN_ORDER_NUMBER,
    ask_second_factor_text,
    cancellation_text,
    invoice_text,
    order_choice_text,
    order_choice_title,
    order_not_found_text,
    order_status_text,
    proof_mismatch_text,
    refund_status_text,
    too_many_tries_text,
)
from actions.retention_dialogue import present_pending
from actions.tracker_reading import latest_intent
from kizuna.db.engine import session_scope
from kizuna.db.shop_repository import ShopRepository, conversation_customer_id, normalise_order_number
from kizuna.shop import get_shop_config

CONFIRM_BUTTONS = [
    {"title": "Yes, cancel it", "payload": "/affirm"},
    {"title": "No, keep it", "payload": "/deny"},
]
LOCKED_SLOT = "order_access_locked"
PROOF_SLOT = "order_proof"
TOPIC_INTENTS = {"track": "track_order", "refund": "track_refund", "invoice": "get_invoice", "cancel": "cancel_order"}
ORDER_INTENTS = {*TOPIC_INTENTS.values(), "check_invoice"}


def _second_factor() -> str:
    return get_shop_config().order_verification.second_factor


class ValidateOrderNumberForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_order_number_form"

    async def required_slots(
        self, domain_slots: list[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[Text]:
        """The order number; a proof too while an anonymous visitor hasn't proved it; nothing once locked out."""
        if tracker.get_slot(LOCKED_SLOT):
            return []
        number = normalise_order_number(tracker.get_slot("order_id"))
        with session_scope() as session:
            needs_proof = who_is_chatting(session, tracker).needs_proof(number)
        return domain_slots if needs_proof else [s for s in domain_slots if s != PROOF_SLOT]

    async def extract_order_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        """Accept a bare number typed in answer to 'what is your order number?'. When the form starts without a
        number, a signed-in customer with only one order it could be about is not asked: it is that order."""
        if tracker.get_slot("requested_slot") is None and tracker.get_slot("order_id") is None:
            only = _only_candidate_order(tracker)
            return {"order_id": only} if only else {}
        if tracker.get_slot("requested_slot") != "order_id":
            return {}
        number = normalise_order_number((tracker.latest_message or {}).get("text"))
        if number:
            return {"order_id": number}
        return {"order_id": None} if _asks_about_an_order(tracker) else {}

    async def extract_order_proof(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        """Only an answer to the proof question is a proof; 'no' lets the customer leave the form."""
        latest = tracker.latest_message or {}
        if tracker.get_slot("requested_slot") != PROOF_SLOT or latest_intent(tracker) == "deny":
            return {}
        given = extract_second_factor(latest.get("text") or "", _second_factor())
        if given:
            return {PROOF_SLOT: given}
        return {PROOF_SLOT: None} if _asks_about_an_order(tracker) else {}

    def validate_order_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        if value is None:  # the question about the order came again without its number: it is asked again
            return {"order_id": None}
        number = normalise_order_number(str(value))
        if number is None:
            dispatcher.utter_message(text=NOT_AN_ORDER_NUMBER)
            return {"order_id": None}
        with session_scope() as session:
            chatter = who_is_chatting(session, tracker)
            if not chatter.needs_proof(number):
                found = accessible_order(ShopRepository(session), chatter, number) is not None
                if not found:
                    dispatcher.utter_message(text=order_not_found_text(number))
                return {"order_id": number if found else None}
        # Anonymous: nothing is looked up before the proof, so the reply says nothing about the number.
        if proof_attempts().conversation_locked(tracker.sender_id):
            return {"order_id": None, LOCKED_SLOT: True}
        return {"order_id": number}

    def validate_order_proof(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        """Check number and proof together; the proof (and any e-mail slot) is cleared at once either way."""
        number = normalise_order_number(tracker.get_slot("order_id"))
        forget = {PROOF_SLOT: None, "email": None}
        if value is None and number is not None:  # asked about the order again without the proof: asked again
            return forget
        if number is None or not value:
            return {**forget, "order_id": None}
        if not proof_attempts().count(tracker.sender_id, number, str(value)):
            return {**forget, "order_id": None, LOCKED_SLOT: True}
        factor = _second_factor()
        with session_scope() as session:
            proved = second_factor_matches(ShopRepository(session).find_order(number), str(value), factor)
        if not proved:
            dispatcher.utter_message(text=proof_mismatch_text(factor))
            return {**forget, "order_id": None}
        verified = list(tracker.get_slot(VERIFIED_SLOT) or [])
        return {**forget, VERIFIED_SLOT: verified + [number] if number not in verified else verified}


class ActionAskOrderId(Action):
    """Asks for the order number; a signed-in customer gets their recent orders as buttons instead."""

    def name(self) -> Text:
        return "action_ask_order_id"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        topic = tracker.get_slot("order_topic") or "track"
        open_only = _open_only(topic)
        with session_scope() as session:
            customer_id = conversation_customer_id(session, tracker.sender_id)
            if customer_id is None:
                dispatcher.utter_message(text=ASK_ORDER_NUMBER)
                return []
            orders = ShopRepository(session).recent_orders(customer_id, open_only)
            buttons = [_order_button(order, topic) for order in orders]
        dispatcher.utter_message(text=order_choice_text(bool(buttons), open_only), buttons=buttons)
        return []


def _asks_about_an_order(tracker: Tracker) -> bool:
    """The customer asked about an order again while the form waits for its number or proof ("so where is my
    order then?"). The form asks its question again; left to Rasa, the form would be interrupted by itself."""
    return latest_intent(tracker) in ORDER_INTENTS


def _open_only(topic: str) -> bool:
    """Tracking and cancelling are about orders still on their way; refunds and invoices about any."""
    return topic in ("track", "cancel")


def _only_candidate_order(tracker: Tracker) -> Optional[str]:
    """The number of the signed-in customer's only order the question can be about, if there is exactly one."""
    topic = tracker.get_slot("order_topic") or "track"
    with session_scope() as session:
        customer_id = conversation_customer_id(session, tracker.sender_id)
        if customer_id is None:
            return None
        orders = ShopRepository(session).recent_orders(customer_id, _open_only(topic), limit=2)
        return orders[0].order_number if len(orders) == 1 else None


def _order_button(order: Any, topic: str) -> dict[str, str]:
    entity = json.dumps({"order_id": order.order_number}, separators=(",", ":"))
    return {"title": order_choice_title(order), "payload": f"/{TOPIC_INTENTS.get(topic, 'track_order')}{entity}"}


class ActionAskOrderProof(Action):
    def name(self) -> Text:
        return "action_ask_order_proof"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        number = normalise_order_number(tracker.get_slot("order_id")) or "that order"
        dispatcher.utter_message(text=ask_second_factor_text(number, _second_factor()))
        return []


class ActionOrderLookup(Action):
    def name(self) -> Text:
        return "action_order_lookup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        shop = get_shop_config()
        if tracker.get_slot(LOCKED_SLOT):
            dispatcher.utter_message(text=too_many_tries_text(shop.facts["account_url"]))
            return [SlotSet(LOCKED_SLOT, False), SlotSet("order_id", None)]
        number = normalise_order_number(tracker.get_slot("order_id"))
        topic = tracker.get_slot("order_topic") or "track"
        with session_scope() as session:
            repository = ShopRepository(session)
            order = accessible_order(repository, who_is_chatting(session, tracker), number)
            if order is None:
                dispatcher.utter_message(text=order_not_found_text(number) if number else ASK_ORDER_NUMBER)
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
        with session_scope() as session:  # ownership is checked again now, in the same transaction as the change
            order = accessible_order(ShopRepository(session), who_is_chatting(session, tracker), number)
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
