"""Scripted conversations as data (tests/integration/conversations/*.yml): loading them and checking that
every key is a known one, so a typo in a script fails loudly instead of silently checking nothing.

A file holds `conversations:`, a list of:

    name: a-unique-slug
    about: what the conversation shows (one sentence)
    who: anonymous                   # or an anonymous visitor who proves an order: {order: shipped | delivered}
         | {customer: <property>, profile: {churn, value, tier, segment}, control_group: bool}
    hours: open | closed            # the team is at work, or away
    calm: true                       # never escalated, never queued, no handoff text
    turns: [...]

A turn is the customer's words (`say`), a click on a button the bot offered (`click`, the start of its
title), a rating (`rate: {score, comment, expect_status}`, 2xx unless told), or staff steps (`staff: [take,
{reply: text}, release, {resolve: outcome}]`), followed by what must be true afterwards:

    replies: [text, offer, rating]   # the kinds of the bot's bubbles of this turn, in order ([] = silence)
    contains: [regex, ...]           # each must match the turn's replies (case-insensitive)
    excludes: [regex, ...]           # none may match
    buttons: [regex, ...]            # each must match the title of a button offered in this turn
    fallback: expected | allowed     # by default a fallback answer fails the turn
    status: bot | waiting_for_agent | agent | resolved
    decision: none | offer | escalate | control | {action: ..., reasons: [...], not_reasons: [...]}
    feeling: calm | [calm, annoyed]  # the stored sentiment of this turn on the intensity scale of trend.yml
    max_bubbles: 3                   # more than a primary answer and one follow-up...
    because: why                     # ...only with the reason written down
    follow_up: true | false          # whether the conversation holds an open follow-up by e-mail
    shown: [regex, ...]              # each must match a message the customer sees in the history since the last turn
    shown_kinds: [rating]            # kinds that must be among those messages

Texts may use placeholders resolved from the stack at run time: {order} (the order the customer is
about), {email} (its owner's address), {other_order}, {tracking}, {carrier}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SCRIPTS_DIR = Path(__file__).parent / "conversations"
CONVERSATION_KEYS = {"name", "about", "who", "hours", "calm", "turns"}
WHO_KEYS = {"customer", "profile", "control_group"}
PROFILE_KEYS = {"churn", "value", "tier", "segment"}
CUSTOMERS = {
    "with_open_orders",        # at least one order not delivered, cancelled or returned yet
    "with_two_open_orders",
    "with_one_open_order",     # exactly one order still on its way
    "with_two_open_orders_one_cancellable",  # one of them has not shipped yet
    "with_shipped_order",
    "without_open_orders",     # only finished orders
    "with_pending_refund",     # a returned order whose refund is not paid out yet
    "with_delivered_order",
    "with_several_orders",     # two or more orders, one of them delivered
}
ANONYMOUS_ORDERS = {"shipped", "delivered"}  # anonymous: {"order": ...} picks an order to prove with its e-mail
ACTIONS = {"say", "click", "rate", "staff"}
EXPECTATIONS = {"replies", "contains", "excludes", "buttons", "fallback", "status", "decision", "max_bubbles",
                "because", "follow_up", "shown", "shown_kinds", "feeling"}
FEELINGS = {"furious", "annoyed", "calm", "pleased", "delighted"}
STAFF_STEPS = {"take", "reply", "release", "resolve"}
KINDS = {"text", "offer", "rating"}
STATUSES = {"bot", "waiting_for_agent", "agent", "resolved"}
DECISION_ACTIONS = {"none", "offer", "escalate", "control"}
DECISION_KEYS = {"action", "reasons", "not_reasons"}
FALLBACK = {"expected", "allowed"}
RATE_KEYS = {"score", "comment", "expect_status"}
PLACEHOLDERS = {"order", "email", "other_order", "tracking", "carrier"}


class ScriptError(ValueError):
    """A script names an unknown key or holds a value of the wrong shape."""


@dataclass(frozen=True)
class Conversation:
    name: str
    about: str
    who: dict[str, Any]
    hours: str
    calm: bool
    turns: list[dict[str, Any]]
    source: str = field(default="")

    @property
    def signed_in(self) -> bool:
        return "customer" in self.who


def load_all(directory: Path = SCRIPTS_DIR) -> list[Conversation]:
    conversations = [c for path in sorted(directory.glob("*.yml")) for c in load_file(path)]
    names = [c.name for c in conversations]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ScriptError(f"conversation names must be unique: {duplicates}")
    return conversations


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key written twice in one mapping (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        twice = sorted({str(k) for k in keys if keys.count(k) > 1})
        if twice:
            raise ScriptError(f"line {node.start_mark.line + 1}: key(s) written twice: {twice}")
        return super().construct_mapping(node, deep=deep)


def load_file(path: Path) -> list[Conversation]:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader) or {}
    except ScriptError as error:
        raise ScriptError(f"{path.name}: {error}") from None
    _known(document, {"conversations"}, path.name)
    return [parse(raw, path.name) for raw in document.get("conversations") or []]


def parse(raw: dict[str, Any], source: str) -> Conversation:
    where = f"{source}: {raw.get('name', '?')}"
    _known(raw, CONVERSATION_KEYS, where)
    for required in ("name", "about", "hours", "turns"):
        if not raw.get(required):
            raise ScriptError(f"{where}: `{required}` is required")
    if raw["hours"] not in ("open", "closed"):
        raise ScriptError(f"{where}: hours must be open or closed, not {raw['hours']!r}")
    who = _who(raw.get("who", "anonymous"), where)
    turns = raw["turns"]
    if not isinstance(turns, list):
        raise ScriptError(f"{where}: turns must be a list")
    for number, turn in enumerate(turns, start=1):
        _turn(turn, f"{where}, turn {number}")
    return Conversation(name=str(raw["name"]), about=str(raw["about"]), who=who, hours=raw["hours"],
                        calm=bool(raw.get("calm", False)), turns=turns, source=source)


def _who(raw: Any, where: str) -> dict[str, Any]:
    if raw == "anonymous":
        return {}
    if not isinstance(raw, dict):
        raise ScriptError(f"{where}: who must be `anonymous` or a mapping")
    if "order" in raw and set(raw) == {"order"}:  # an anonymous visitor who proves an order
        if raw["order"] not in ANONYMOUS_ORDERS:
            raise ScriptError(f"{where}: an anonymous order is one of {sorted(ANONYMOUS_ORDERS)}")
        return dict(raw)
    _known(raw, WHO_KEYS, f"{where}, who")
    if raw.get("customer") not in CUSTOMERS:
        raise ScriptError(f"{where}: who.customer is one of {sorted(CUSTOMERS)}, not {raw.get('customer')!r}")
    _known(raw.get("profile") or {}, PROFILE_KEYS, f"{where}, who.profile")
    return dict(raw)


def _turn(turn: Any, where: str) -> None:
    if not isinstance(turn, dict):
        raise ScriptError(f"{where}: a turn is a mapping")
    _known(turn, ACTIONS | EXPECTATIONS, where)
    actions = ACTIONS & set(turn)
    if len(actions) != 1:
        raise ScriptError(f"{where}: a turn has exactly one of {sorted(ACTIONS)}, not {sorted(actions)}")
    for key in ("say", "click"):
        if key in turn and not isinstance(turn[key], str):
            raise ScriptError(f"{where}: {key} must be text; quote it ({key}: 'no'), YAML reads {turn[key]!r}")
    if "staff" in turn:
        _staff(turn["staff"], where)
    if "rate" in turn:
        _known(turn["rate"], RATE_KEYS, f"{where}, rate")
        if not isinstance(turn["rate"].get("expect_status", 200), int):
            raise ScriptError(f"{where}: rate.expect_status is an HTTP status code, like 409")
    for key in ("replies", "shown_kinds"):
        if key in turn and not set(turn[key]) <= KINDS:
            raise ScriptError(f"{where}: {key} are among {sorted(KINDS)}")
    for key in ("contains", "excludes", "buttons", "shown"):
        if key in turn and not (isinstance(turn[key], list) and all(isinstance(p, str) for p in turn[key])):
            raise ScriptError(f"{where}: {key} is a list of regexes")
    if "status" in turn and turn["status"] not in STATUSES:
        raise ScriptError(f"{where}: status is one of {sorted(STATUSES)}")
    if "fallback" in turn and turn["fallback"] not in FALLBACK:
        raise ScriptError(f"{where}: fallback is one of {sorted(FALLBACK)}")
    if "max_bubbles" in turn and not turn.get("because"):
        raise ScriptError(f"{where}: max_bubbles needs `because`")
    if "decision" in turn:
        _decision(turn["decision"], where)
    feelings = turn.get("feeling", [])
    if not set([feelings] if isinstance(feelings, str) else feelings) <= FEELINGS:
        raise ScriptError(f"{where}: feeling is one or more of {sorted(FEELINGS)}")


def _staff(steps: Any, where: str) -> None:
    if not isinstance(steps, list) or not steps:
        raise ScriptError(f"{where}: staff is a list of steps")
    for step in steps:
        name = step if isinstance(step, str) else next(iter(step), None) if isinstance(step, dict) and len(step) == 1 else None
        if name not in STAFF_STEPS:
            raise ScriptError(f"{where}: a staff step is one of {sorted(STAFF_STEPS)}, not {step!r}")


def _decision(decision: Any, where: str) -> None:
    if isinstance(decision, str):
        decision = {"action": decision}
    if not isinstance(decision, dict):
        raise ScriptError(f"{where}: decision is an action or a mapping")
    _known(decision, DECISION_KEYS, f"{where}, decision")
    if "action" in decision and decision["action"] not in DECISION_ACTIONS:
        raise ScriptError(f"{where}: decision.action is one of {sorted(DECISION_ACTIONS)}")


def _known(mapping: Any, allowed: set[str], where: str) -> None:
    if not isinstance(mapping, dict):
        raise ScriptError(f"{where}: expected a mapping")
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise ScriptError(f"{where}: unknown key(s) {unknown}; known: {sorted(allowed)}")
