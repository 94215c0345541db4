"""Asking for a person: within the team's hours the conversation joins the agents' queue; outside them
a short form takes an e-mail address in any words, has the customer confirm it, and leaves the agents
a follow-up carrying it (stored encrypted, kizuna.follow_ups)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.digressions import leave_order_form
from actions.retention_dialogue import present_pending
from actions.tracker_reading import latest_intent
from kizuna.agent_hours import team_available
from kizuna.conversation_status import ConversationStatus
from kizuna.db import retention_records as records
from kizuna.db import webhook_events
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation
from kizuna.follow_ups import address_in, has_open_follow_up, NotAnAddress, record_follow_up
from kizuna.shop import get_shop_config

OFFLINE_SLOT = "team_offline"
ADDRESS_SLOT = "contact_email"
CONFIRMED_SLOT = "contact_confirmed"
DECLINED = "declined"  # contact_email when the customer would rather not leave an address
DECLINING_INTENTS = frozenset({"deny"})  # typed words; an offer's "No, thanks" button declines the offer only
CONFIRM_BUTTONS = [{"title": "Yes, that's right", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]


def handoff_text(key: str, **values: str) -> str:
    return get_shop_config().handoff(key, **values)


def _email_entity(tracker: Tracker) -> Optional[str]:
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "email" and isinstance(entity.get("value"), str):
            return entity["value"]
    return None


def _queue(conversation_id: str, now: datetime) -> str:
    """Put the conversation in the agents' queue unless it is there already; what state it is in now."""
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return "unknown"
        if conversation.status in (ConversationStatus.AGENT, ConversationStatus.WAITING_FOR_AGENT):
            return conversation.status
        records.escalate(conversation, "normal", ["asked_for_human"], now)
        webhook_events.conversation_escalated(session, conversation, now)
        return "queued"


class ActionHandOff(Action):
    """The customer asked for a person. In hours: queued, and told so. Out of hours: the contact form follows."""

    def name(self) -> Text:
        return "action_hand_off"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        now = datetime.now(timezone.utc)
        # This turn's retention decision is shown here, not as its generic handoff text: an offer stays an offer.
        scratch = CollectingDispatcher()
        shown = present_pending(scratch, tracker.sender_id, now)
        if shown == "offer":
            dispatcher.messages.extend(scratch.messages)
        state = _queue(tracker.sender_id, now)
        if state == ConversationStatus.WAITING_FOR_AGENT and shown == "escalate":
            state = "queued"  # this turn's retention decision (the request itself) queued it: not "already"
        left = leave_order_form(tracker)
        if state == ConversationStatus.AGENT:
            dispatcher.utter_message(text=handoff_text("agent_here"))
            return [*left, SlotSet(OFFLINE_SLOT, False)]
        if team_available(now):
            dispatcher.utter_message(text=handoff_text("already_queued" if state == ConversationStatus.WAITING_FOR_AGENT else "queued"))
            return [*left, SlotSet(OFFLINE_SLOT, False)]
        return [*left, SlotSet(OFFLINE_SLOT, True), SlotSet(ADDRESS_SLOT, None), SlotSet(CONFIRMED_SLOT, None)]


class ValidateContactForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_contact_form"

    async def extract_contact_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        """The address in whatever words it came ("my email is ...", "you can reach me at ...", "it's ...");
        while the confirmation is asked, a new address replaces the old one and is asked about again."""
        requested = tracker.get_slot("requested_slot")
        if requested not in (ADDRESS_SLOT, CONFIRMED_SLOT, None):
            return {}
        text = (tracker.latest_message or {}).get("text") or ""
        if requested == CONFIRMED_SLOT and "@" not in text:
            return {}
        if requested == ADDRESS_SLOT and "@" not in text and latest_intent(tracker) in DECLINING_INTENTS:
            return {ADDRESS_SLOT: DECLINED}
        if requested == ADDRESS_SLOT and "@" not in text and latest_intent(tracker) != "inform":
            return {}  # another question: it is answered, then the form asks for the address again
        try:
            address = address_in(text, _email_entity(tracker))
        except NotAnAddress as problem:
            if requested is None:  # only an answer to the question is told off
                return {}
            dispatcher.utter_message(text=handoff_text(str(problem)))  # says what to send: the question is not repeated
            return {ADDRESS_SLOT: None}
        events: dict[Text, Any] = {ADDRESS_SLOT: address}
        if requested == CONFIRMED_SLOT:
            events[CONFIRMED_SLOT] = None
        return events

    async def extract_contact_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        if tracker.get_slot("requested_slot") != CONFIRMED_SLOT or "@" in ((tracker.latest_message or {}).get("text") or ""):
            return {}
        intent = latest_intent(tracker)
        if intent == "affirm":
            return {CONFIRMED_SLOT: True}
        if intent == "deny":
            return {CONFIRMED_SLOT: False}
        return {}

    def validate_contact_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        if value == DECLINED:  # nothing to confirm: both slots are filled, so the form ends here
            return {ADDRESS_SLOT: DECLINED, CONFIRMED_SLOT: False}
        if value is None:  # not an address; extract_contact_email said why
            return {ADDRESS_SLOT: None}
        try:
            return {ADDRESS_SLOT: address_in(str(value or ""))}
        except NotAnAddress as problem:
            dispatcher.utter_message(text=handoff_text(str(problem)))
            return {ADDRESS_SLOT: None}

    def validate_contact_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[Text, Any]:
        """'No' asks for the address again; a new address given instead (no answer yet) is asked about."""
        if value is True:
            return {CONFIRMED_SLOT: True}
        if value is None:
            return {CONFIRMED_SLOT: None}
        return {CONFIRMED_SLOT: None, ADDRESS_SLOT: None}


class ActionAskContactEmail(Action):
    def name(self) -> Text:
        return "action_ask_contact_email"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if _told_what_to_send(tracker):
            return []  # the form's check already said what is needed ("I didn't find an e-mail address in that...")
        asked_before = any(e.get("event") == "slot" and e.get("name") == "requested_slot" and e.get("value") == ADDRESS_SLOT
                           for e in tracker.events_after_latest_restart())
        first = tracker.active_loop_name != "contact_form" or not asked_before
        dispatcher.utter_message(text=handoff_text("offline_ask" if first else "ask_again"))
        return []


ADDRESS_PROBLEMS = ("no_address", "invalid", "several")  # NotAnAddress reasons, each a text of `handoff:`


def _told_what_to_send(tracker: Tracker) -> bool:
    """Whether, since the customer's latest message, the bot has said what was wrong with the address."""
    problems = {handoff_text(reason) for reason in ADDRESS_PROBLEMS}
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "bot" and event.get("text") in problems:
            return True
    return False


class ActionAskContactConfirmed(Action):
    def name(self) -> Text:
        return "action_ask_contact_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=handoff_text("confirm", contact=str(tracker.get_slot(ADDRESS_SLOT) or "")),
                                 buttons=CONFIRM_BUTTONS)
        return []


class ActionContactFollowUp(Action):
    """The form is done: the follow-up goes to the agents' queue with the confirmed address. The address
    leaves the dialogue's slots at once (the follow-up keeps it, encrypted)."""

    def name(self) -> Text:
        return "action_contact_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        address = tracker.get_slot(ADDRESS_SLOT)
        forget = [SlotSet(ADDRESS_SLOT, None), SlotSet(CONFIRMED_SLOT, None), SlotSet("email", None)]
        if not address or address == DECLINED or tracker.get_slot(CONFIRMED_SLOT) is not True:
            dispatcher.utter_message(text=handoff_text("declined"))
            return forget
        now = datetime.now(timezone.utc)
        _queue(tracker.sender_id, now)
        with session_scope() as session:
            record_follow_up(session, tracker.sender_id, str(address), now)
        dispatcher.utter_message(text=handoff_text("done", contact=str(address)))
        return forget


class ActionContactGiven(Action):
    """An e-mail address given when no question asked for it. While the conversation waits for a team that is
    away (e.g. the handoff came from the retention policy and asked for an address), the contact form takes
    it over and asks the customer to confirm it; otherwise it is simply thanked for."""

    def name(self) -> Text:
        return "action_contact_given"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        now = datetime.now(timezone.utc)
        if not team_available(now) and _awaits_the_team(tracker.sender_id) and "@" in ((tracker.latest_message or {}).get("text") or ""):
            return [SlotSet(OFFLINE_SLOT, True), SlotSet(ADDRESS_SLOT, None), SlotSet(CONFIRMED_SLOT, None)]
        dispatcher.utter_message(text=get_shop_config().answer("inform") or "")
        return [SlotSet(OFFLINE_SLOT, False)]


def _awaits_the_team(conversation_id: str) -> bool:
    with session_scope() as session:
        conversation = session.get(Conversation, conversation_id)
        return (conversation is not None and conversation.status == ConversationStatus.WAITING_FOR_AGENT
                and not has_open_follow_up(session, conversation_id))
