"""The trainers' inbox by message: identical and near-identical customer messages form one group with a
count ("where is order 10482??" and "Where is order 10511" are one), and a review of a group applies to
every message in it. Also the few turns of conversation around one inbox message, personal data masked."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Optional

from sqlalchemy.orm import Session

from kizuna.db import reviews
from kizuna.db.conversations import earlier_messages, later_messages
from kizuna.db.models import IntentReview, Message, TurnAnalysis
from kizuna.db.turns import turns_of_messages
from kizuna.personal_data import EMAIL, mask_personal_data

NUMBER = re.compile(r"\d+")
# Stand-ins for what is masked; private-use characters, so no customer's punctuation or words can equal them.
EMAIL_MARK, NUMBER_MARK = "\ue000", "\ue001"
GROUP_ID = re.compile(r"^[0-9a-f]{16}$")
SAMPLE_SIZE = 20  # messages of a group listed with it, for their context
VARIANTS_SHOWN = 5  # other wordings of a group listed with it
REVIEW_CHUNK = 500  # review ids changed per statement
CONTEXT_SCAN = 60  # messages read on each side of an inbox message to find its neighbouring turns


def group_key(text: str) -> str:
    """What near-identical messages have in common: Unicode NFKC, lower case, e-mail addresses and digits
    masked, punctuation dropped, whitespace collapsed."""
    value = unicodedata.normalize("NFKC", text).lower()
    value = EMAIL.sub(f" {EMAIL_MARK} ", value)
    value = NUMBER.sub(f" {NUMBER_MARK} ", value)
    value = "".join(char for char in value if not unicodedata.category(char).startswith("P"))
    return " ".join(value.split())


def group_id(text: str) -> str:
    """A short, stable name of the group of `text` (it carries none of the text)."""
    return hashlib.sha256(group_key(text).encode("utf-8")).hexdigest()[:16]


@dataclass
class Member:
    review: IntentReview
    turn: TurnAnalysis

    @property
    def text(self) -> str:
        return self.turn.message_text  # the customer's message, stored once

    @property
    def predicted(self) -> Optional[str]:
        return self.turn.intent or None

    @property
    def fell_back(self) -> bool:
        return self.predicted in (None, reviews.FALLBACK_INTENT)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.review.id, "turn_id": self.turn.id, "conversation_id": self.turn.conversation_id,
                "text": self.text, "predicted_intent": self.turn.intent, "confidence": self.turn.confidence,
                "reason": self.review.reason, "status": self.review.status, "intent": self.review.intent,
                "message_at": _when(self.turn)}


@dataclass
class Group:
    id: str
    members: list[Member] = field(default_factory=list)  # in inbox order: the first one stands for the group

    @property
    def intent(self) -> Optional[str]:
        """The bot's intent for the group: the most frequent prediction that is not a fallback (the first
        member's among equals); None when every message fell back."""
        predicted = Counter(m.predicted for m in self.members if not m.fell_back)
        if not predicted:
            return None
        most = max(predicted.values())
        return next(m.predicted for m in self.members if not m.fell_back and predicted[m.predicted] == most)

    def as_dict(self) -> dict[str, Any]:
        first = self.members[0]
        confidences = [m.turn.confidence for m in self.members if m.turn.confidence is not None]
        texts = Counter(m.text for m in self.members)
        moments = [_when(m.turn) for m in self.members]
        statuses = Counter(m.review.status for m in self.members)
        chosen = {m.review.intent for m in self.members if m.review.intent}
        return {
            "group": self.id, "text": first.text, "count": len(self.members),
            "variants": [{"text": text, "count": count} for text, count in texts.most_common()
                         if text != first.text][:VARIANTS_SHOWN],
            "variant_count": len(texts),
            "conversations": len({m.turn.conversation_id for m in self.members}),
            "predicted_intent": self.intent,
            "predicted": [{"name": name or reviews.FALLBACK_INTENT, "count": count}
                          for name, count in Counter(m.predicted for m in self.members).most_common()],
            "confidence": first.turn.confidence,
            "confidence_range": [min(confidences), max(confidences)] if confidences else None,
            "guesses": list(first.turn.intent_ranking or []),
            "reasons": dict(Counter(m.review.reason for m in self.members).most_common()),
            "flagged_by": sorted({m.review.flagged_by for m in self.members if m.review.flagged_by}),
            "status": next(iter(statuses)) if len(statuses) == 1 else "mixed",
            "statuses": dict(statuses.most_common()),
            "intent": next(iter(chosen)) if len(chosen) == 1 else None,
            "reviewed_by": sorted({m.review.reviewed_by for m in self.members if m.review.reviewed_by}),
            "first_at": min(moments), "last_at": max(moments),
            "members": [m.as_dict() for m in self.members[:SAMPLE_SIZE]],
        }


def groups(session: Session, status: str = "pending", reason: Optional[str] = None) -> list[Group]:
    """The inbox's messages under the filters, grouped. Pending: the largest groups first, then the least
    confident; otherwise the most recently queued first. Within a group, the same order as the inbox's."""
    members = _members(session, status, reason)
    grouped: dict[str, Group] = {}
    for member in members:
        key = group_id(member.text)
        grouped.setdefault(key, Group(key)).members.append(member)
    found = list(grouped.values())  # in order of their first member
    if status == "pending":
        found.sort(key=lambda group: -len(group.members))  # stable: among equals, the least confident first
    return found


def page(session: Session, status: str = "pending", reason: Optional[str] = None, offset: int = 0,
         limit: int = 50) -> dict[str, Any]:
    """One page of groups, and how many groups and messages match the filters in all."""
    found = groups(session, status, reason)
    return {"groups": [group.as_dict() for group in found[offset:offset + limit]], "offset": offset, "limit": limit,
            "total_groups": len(found), "total_messages": sum(len(group.members) for group in found)}


def review_groups(session: Session, group_ids: Iterable[str], action: str, username: str, intent: Optional[str] = None,
                  status: str = "pending", reason: Optional[str] = None) -> dict[str, Any]:
    """Review every message of the given groups (as the inbox showed them under `status` and `reason`).
    Confirming a group confirms its intent (see `Group.intent`) for all its messages: those the bot
    understood otherwise are relabelled with it; a group whose every message fell back cannot be confirmed."""
    wanted = set(group_ids)
    chosen = [group for group in groups(session, status, reason) if group.id in wanted]
    changed, chosen_intents = 0, set()
    for group in chosen:
        if action == "confirm":
            changed += _confirm(session, group, username)
            chosen_intents.add(group.intent)
        else:
            changed += _apply(session, [m.review.id for m in group.members], action, username, intent)
            chosen_intents.update([intent] if action == "relabel" and chosen else [])
    return {"changed": changed, "groups": len(chosen), "missing": len(wanted) - len(chosen), "intents": sorted(chosen_intents),
            "ids": sorted(m.review.id for group in chosen for m in group.members)}


def context(session: Session, review_id: int, turns_before: int = 2, turns_after: int = 2) -> Optional[dict[str, Any]]:
    """The inbox message `review_id` with the `turns_before` customer turns before it and `turns_after` after it
    (a turn: a customer message and what followed it), every text with personal data masked; None for no such
    inbox message."""
    row = reviews.review_with_turn(session, review_id)
    if row is None:
        return None
    review, turn = row
    answer: dict[str, Any] = {"review_id": review.id, "turn_id": turn.id, "conversation_id": turn.conversation_id,
                              "messages": [], "more_before": False, "more_after": False}
    focus = _message_of(session, turn)
    if focus is None:  # the message is gone
        answer["messages"] = [_context_entry("", "customer", _when(turn), True, turn)]
        return answer
    earlier = earlier_messages(session, focus.conversation_id, focus.id, CONTEXT_SCAN + 1)
    later = later_messages(session, focus.conversation_id, focus.id, CONTEXT_SCAN + 1)
    before, answer["more_before"] = _turns_back(earlier, turns_before)
    after, answer["more_after"] = _turns_on(later, turns_after)
    shown = [*reversed(before), focus, *after]
    analysed = {t.message_id: t for t in turns_of_messages(session, [m.id for m in shown if m.direction == "in"])}
    answer["messages"] = [_context_entry(m.text, m.sender, m.created_at, m.id == focus.id, analysed.get(m.id)) for m in shown]
    return answer


def _members(session: Session, status: str, reason: Optional[str]) -> list[Member]:
    rows = [Member(review, turn) for review, turn in session.execute(reviews.reviews_with_turns(status, reason))]
    if status == "pending":  # least confident first (no confidence at all first of all), then oldest
        rows.sort(key=lambda m: (m.turn.confidence is not None, m.turn.confidence or 0.0, m.review.id))
    else:
        rows.sort(key=lambda m: -m.review.id)
    return rows


def _confirm(session: Session, group: Group, username: str) -> int:
    intent = group.intent
    if intent is None:
        raise reviews.ReviewError("every message of this group fell back, so there is nothing to confirm: relabel it instead")
    agreeing = [m.review.id for m in group.members if m.predicted == intent]
    others = [m.review.id for m in group.members if m.predicted != intent]
    return _apply(session, agreeing, "confirm", username, None) + _apply(session, others, "relabel", username, intent)


def _apply(session: Session, ids: list[int], action: str, username: str, intent: Optional[str]) -> int:
    changed = 0
    for start in range(0, len(ids), REVIEW_CHUNK):
        changed += reviews.apply_review(session, ids[start:start + REVIEW_CHUNK], action, username, intent)
    return changed


def _message_of(session: Session, turn: TurnAnalysis) -> Optional[Message]:
    """The stored customer message of a turn (its text is the turn's)."""
    message = turn.message
    return message if message is not None and message.conversation_id == turn.conversation_id else None


def _turns_back(earlier: list[Message], turns: int) -> tuple[list[Message], bool]:
    """Newest first: the messages back to (and with) the `turns`-th customer message before."""
    taken: list[Message] = []
    customer_messages = 0
    for message in earlier[:CONTEXT_SCAN]:
        if turns == 0 or customer_messages == turns:
            break
        taken.append(message)
        customer_messages += message.direction == "in"
    return taken, len(earlier) > len(taken)


def _turns_on(later: list[Message], turns: int) -> tuple[list[Message], bool]:
    """Oldest first: the replies to the message and the next `turns` turns."""
    taken: list[Message] = []
    customer_messages = 0
    for message in later[:CONTEXT_SCAN]:
        if message.direction == "in":
            if customer_messages == turns:
                break
            customer_messages += 1
        taken.append(message)
    return taken, len(later) > len(taken)


def _context_entry(text: str, sender: str, at: datetime, focus: bool, turn: Optional[TurnAnalysis]) -> dict[str, Any]:
    return {"sender": sender, "text": mask_personal_data(text), "at": at, "focus": focus,
            "intent": turn.intent if turn else None, "confidence": turn.confidence if turn else None}


def _when(turn: TurnAnalysis) -> datetime:
    return _aware(turn.message_at or turn.created_at)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
