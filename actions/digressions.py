"""A customer who turns to something else while the bot waits for an order number has moved on.

Rasa resumes an interrupted form after the digression is answered, which re-asks "What's your order
number?" under the answer, under a hand-off notice, or after the customer said goodbye. The actions that
answer a digression end the order form instead; the number is still understood if it comes later. An
unclear message (nlu_fallback) is not a digression: the form asks again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet

ORDER_FORM = "order_number_form"


def leave_order_form(tracker: Tracker) -> list[dict[str, Any]]:
    """The events that end the order form, if it is the active one."""
    if tracker.active_loop_name != ORDER_FORM:
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None)]
