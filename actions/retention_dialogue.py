"""Showing the retention decision in the dialogue: offers with accept/decline buttons, the handoff,
and what happens when the customer answers an offer."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kizuna.settings import get_settings
from kizuna.agent_hours import team_available
from kizuna.db import retention_records as records
from kizuna.db import webhook_events
from kizuna.db.engine import session_scope
from kizuna.shop import get_shop_config
from retention.catalog import load_catalog
from retention.policy import load_policy
from retention.quiet_hours import local_day

OFFER_BUTTONS = [{"title": "Yes, please", "payload": "/accept_offer"}, {"title": "No, thanks", "payload": "/decline_offer"}]


def present_pending(dispatcher: CollectingDispatcher, conversation_id: str, now: Optional[datetime] = None) -> Optional[str]:
    """Show the turn's offer or handoff once; returns the action shown, if any."""
    with session_scope() as session:
        decision = records.pending_presentation(session, conversation_id)
        if decision is None:
            return None
        decision.presented = True
        if decision.action == "offer":
            offers = {offer.id: offer for offer in load_catalog(get_settings().offer_catalog_path)}
            offer = offers.get(decision.offer_id or "")
            if offer is None:
                return None
            dispatcher.utter_message(text=offer.text, buttons=OFFER_BUTTONS)
        else:
            dispatcher.utter_message(text=handoff_text(now or datetime.now(timezone.utc)))
        return decision.action


def handoff_text(now: datetime) -> str:
    """What the customer is told when the retention policy queued the conversation: in the team's hours, that
    an agent joins; outside them, that nobody can join now and that an address left here gets a reply
    (action_contact_given then takes the address through the contact form)."""
    return get_shop_config().handoff("queued" if team_available(now) else "escalated_offline")


class ActionAcceptOffer(Action):
    def name(self) -> str:
        return "action_accept_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        now = datetime.now(timezone.utc)
        with session_scope() as session:
            offer = records.open_offer(session, tracker.sender_id)
            if offer is None:
                dispatcher.utter_message(text="There's no open offer in this chat right now. Anything else I can do?")
                return []
            settings = get_settings()
            valid_days = next((o.valid_days for o in load_catalog(settings.offer_catalog_path) if o.id == offer.offer_id), 30)
            today = local_day(now, load_policy(settings.retention_policy_path))
            code = records.accept_offer(session, offer, valid_days, now, today)
            webhook_events.chat_offer_issued(session, offer, now)
            valid_until = offer.valid_until
        dispatcher.utter_message(text=f"Done! Your code is {code}, valid until {valid_until:%d %B %Y}. "
                                      "Enter it at checkout. Is there anything else I can help with?")
        return []


class ActionDeclineOffer(Action):
    def name(self) -> str:
        return "action_decline_offer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        with session_scope() as session:
            offer = records.open_offer(session, tracker.sender_id)
            if offer is not None:
                offer.status, offer.responded_at = "declined", datetime.now(timezone.utc)
        dispatcher.utter_message(text="No problem. Is there anything else I can help with?")
        return []
