"""What the live hub pushes to the widget and to staff about a conversation."""

from __future__ import annotations

from typing import Any, Iterable, Optional

from console.conversation_owner import Owner
from console.live_hub import LiveHub
from console.schemas import MessageOut
from kizuna.agent_hours import team_available
from kizuna.conversation_status import ConversationStatus


def status_event(status: Optional[str], agent: Optional[str], follow_up: bool = False) -> dict[str, Any]:
    """Who has the conversation, whether anyone from the team can join now (`team`: online | offline) and
    whether the customer left an address for a reply by e-mail (`follow_up`): the widget's banner says what is true."""
    event: dict[str, Any] = {"type": "status", "status": status, "agent": agent}
    if status == ConversationStatus.WAITING_FOR_AGENT or follow_up:  # the only states whose banner depends on the team's hours
        event.update(team="online" if team_available() else "offline", follow_up=follow_up)
    return event


def push_messages(hub: LiveHub, conversation_id: str, messages: Iterable[MessageOut]) -> None:
    """Staff follow the hub too, so what it pushes is the stored (masked) text."""
    for message in messages:
        hub.publish(conversation_id, {"type": "message", "message": message.model_dump(mode="json")})


def push_owner(hub: LiveHub, conversation_id: str, owner: Owner) -> None:
    hub.publish(conversation_id, status_event(*owner))
