"""Who chats in a scripted conversation, resolved from the running stack's shop by property (never by an id
that depends on the seed): the signed-in customer, the order they talk about, and the placeholders the
script's texts use ({order}, {email}, {other_order}, {tracking}, {carrier})."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import select

from kizuna.settings import get_settings
from kizuna.db.engine import session_scope
from kizuna.db.models import Customer, CustomerScore, Order, Refund
from retention.control_group import in_control_group
from retention.policy import load_policy
from tests.integration.shop_state import set_profile

FINISHED = ("delivered", "cancelled", "returned")
CANCELLABLE = ("placed", "processing")
# Customers whose orders or profiles other integration tests rely on (the first customers of the seeded
# shop): a conversation that changes a profile or may earn an offer picks from the others.
OTHERS_USE_UP_TO = 16


@dataclass
class Cast:
    customer_id: Optional[str] = None  # external id, for the widget's token
    values: dict[str, str] = field(default_factory=dict)

    def fill(self, text: str, escape: bool = False) -> str:
        """The text with the placeholders filled in (escaped for a regex when `escape`)."""
        for key, value in self.values.items():
            text = text.replace("{" + key + "}", re.escape(value) if escape else value)
        return text


@dataclass
class _Candidate:
    external_id: str
    email: str
    number: int
    orders: list[Order]
    refunds: dict[int, list[Refund]]
    scored: bool


class CastingOffice:
    """Hands out customers of one stack; a customer whose profile a script sets is handed out only once."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.exclusive: set[str] = set()

    def cast(self, who: dict) -> Cast:
        if not who:
            return Cast()
        if "customer" not in who:
            return self._anonymous_with_order(who["order"])
        exclusive = bool(who.get("profile")) or bool(who.get("control_group"))
        candidate = self._pick(who["customer"], exclusive, bool(who.get("control_group")))
        if who.get("profile"):
            profile = {"churn": 0.8, "value": 320, "tier": "silver", "segment": "steady", **who["profile"]}
            set_profile(self.url, candidate.external_id, **profile)
        return Cast(candidate.external_id, _values(candidate, who["customer"]))

    def _anonymous_with_order(self, status: str) -> Cast:
        candidate = self._pick("with_shipped_order" if status == "shipped" else "with_delivered_order",
                               exclusive=status != "shipped", control=False)
        return Cast(None, _values(candidate, "with_shipped_order" if status == "shipped" else "with_delivered_order"))

    def _pick(self, prop: str, exclusive: bool, control: bool) -> _Candidate:
        policy = load_policy(get_settings().retention_policy_path)
        found = [c for c in self._candidates() if _has(c, prop) and c.external_id not in self.exclusive]
        if exclusive:
            found = [c for c in found if c.number > OTHERS_USE_UP_TO
                     and in_control_group(c.external_id, policy.control_share, policy.control_salt) == control]
            # from the end of the shop, far from other tests' customers; those with rare orders kept for the scripts that need them
            found.sort(key=lambda c: (bool(_open(c) or _pending_refund(c)), -c.number))
        else:
            found.sort(key=lambda c: (c.scored, -c.number))  # customers nobody has given a profile first
        if not found:
            raise AssertionError(f"the shop has no customer {prop} left for this conversation")
        chosen = found[0]
        if exclusive:
            self.exclusive.add(chosen.external_id)
        return chosen

    def _candidates(self) -> list[_Candidate]:
        with session_scope(self.url) as session:
            customers = session.scalars(select(Customer).order_by(Customer.id)).all()
            scored = set(session.scalars(select(CustomerScore.customer_id).where(CustomerScore.churn_probability.is_not(None))))
            candidates = []
            for customer in customers:
                orders = list(session.scalars(select(Order).where(Order.customer_id == customer.id)
                                              .order_by(Order.placed_at.desc(), Order.id.desc())))
                refunds = {o.id: list(session.scalars(select(Refund).where(Refund.order_id == o.id))) for o in orders}
                session.expunge_all()
                number = int(customer.external_id[1:]) if customer.external_id[1:].isdigit() else 0
                candidates.append(_Candidate(customer.external_id, customer.email, number, orders, refunds, customer.id in scored))
            return candidates


def _open(candidate: _Candidate) -> list[Order]:
    return [o for o in candidate.orders if o.status not in FINISHED]


def _pending_refund(candidate: _Candidate) -> Optional[Order]:
    return next((o for o in candidate.orders if o.status == "returned"
                 and any(r.status != "refunded" for r in candidate.refunds.get(o.id, []))), None)


def _has(candidate: _Candidate, prop: str) -> bool:
    return {
        "with_open_orders": lambda: len(_open(candidate)) >= 1,
        "with_two_open_orders": lambda: len(_open(candidate)) >= 2,
        "with_one_open_order": lambda: len(_open(candidate)) == 1,
        "with_two_open_orders_one_cancellable": lambda: len(_open(candidate)) >= 2 and any(o.status in CANCELLABLE for o in candidate.orders),
        "with_shipped_order": lambda: any(o.status == "shipped" for o in candidate.orders),
        "without_open_orders": lambda: not _open(candidate) and any(o.status == "delivered" for o in candidate.orders),
        "with_pending_refund": lambda: _pending_refund(candidate) is not None,
        "with_delivered_order": lambda: any(o.status == "delivered" for o in candidate.orders),
        "with_several_orders": lambda: len(candidate.orders) >= 2 and any(o.status == "delivered" for o in candidate.orders),
    }[prop]()


def _values(candidate: _Candidate, prop: str) -> dict[str, str]:
    """The order the conversation is about (and another one of the customer's, if any)."""
    if prop == "with_shipped_order":
        order = next(o for o in candidate.orders if o.status == "shipped")
    elif prop == "with_two_open_orders_one_cancellable":
        order = next(o for o in candidate.orders if o.status in CANCELLABLE)
    elif prop in ("with_open_orders", "with_two_open_orders", "with_one_open_order"):
        order = _open(candidate)[0]
    elif prop == "with_pending_refund":
        order = _pending_refund(candidate)
    else:
        order = next(o for o in candidate.orders if o.status == "delivered")
    others = [o for o in (_open(candidate) or candidate.orders) if o.order_number != order.order_number]
    values = {"order": order.order_number, "email": candidate.email, "tracking": order.tracking_number or "",
              "carrier": order.carrier or ""}
    if others:
        values["other_order"] = others[0].order_number
    return values
