"""A deterministic synthetic shop for demos and tests.

Everything here is made up: names, e-mail addresses (on the reserved example.com domain),
orders, refunds, invoices, engagement events and past support contacts are generated from a
seed. Behaviour follows a hidden churn propensity (see `operations.demo_behaviour`), so the churn
model has something real to find. Dates are laid out backwards from `today`, so the same seed
and the same `today` give exactly the same shop. Most customers agreed to marketing e-mail, and a
draft win-back campaign waits for an admin to preview and approve it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kizuna.conversation_status import ConversationStatus
from kizuna.db.campaigns import get_campaign
from kizuna.db.customer_list import customer_count
from kizuna.db.models import Campaign, Conversation, Customer, EngagementEvent, Invoice, Order, Refund, TurnAnalysis
from kizuna.demo_shop import FIRST_NAMES, LAST_NAMES
from operations.demo_behaviour import (
    HiddenTraits,
    SimulatedContact,
    SimulatedOrder,
    activity,
    draw_traits,
    simulate_orders,
    simulate_support_contacts,
    simulate_weekly_events,
)
from outreach.campaign_fields import DEFAULT_DAILY_BUDGET, DEFAULT_HOLDOUT_SHARE

CARRIERS = ["DHL", "UPS", "DPD", "Hermes"]
FIRST_ORDER_NUMBER = 10001
CONTACT_INTENTS = {"happy": "thanks", "neutral": "track_order", "unhappy": "complaint"}
MOOD_LABELS = {"happy": "positive", "neutral": "neutral", "unhappy": "negative"}
MARKETING_OPT_IN_SHARE = 0.8
DEMO_CAMPAIGN = {
    "name": "Win back drifting silver and VIP customers",
    "description": "Silver and VIP customers at risk who have not ordered for six weeks get the offer that fits them best.",
    "rule": {"min_churn_probability": 0.5, "min_tier": "silver", "min_days_since_order": 45},
    "channel": "email", "holdout_share": DEFAULT_HOLDOUT_SHARE, "daily_budget": DEFAULT_DAILY_BUDGET,
}


@dataclass(frozen=True)
class SeedSummary:
    customers: int
    orders: int
    refunds: int
    invoices: int
    engagement_rows: int
    support_contacts: int


def database_is_empty(session: Session) -> bool:
    return customer_count(session) == 0


def seed_demo_shop(session: Session, *, customers: int = 1000, seed: int = 7, today: date | None = None) -> SeedSummary:
    """Fill an empty database with a synthetic shop."""
    if not database_is_empty(session):
        raise ValueError("the database already has customers; demo data goes only into an empty database")
    rng = random.Random(seed)
    consent = random.Random(seed + 1_000_003)  # its own stream: the rest of the shop stays as it was for the seed
    today = today or date.today()
    counts = {"orders": 0, "refunds": 0, "invoices": 0, "engagement_rows": 0, "support_contacts": 0}
    numbers = iter(range(FIRST_ORDER_NUMBER, 10**9))
    in_flight_left = max(4, customers // 25)  # some orders still on their way, so look-ups have something to show
    lives: list[tuple[Customer, list[SimulatedContact], list[tuple[str, date, int]]]] = []
    for index in range(1, customers + 1):
        traits = draw_traits(rng, today)
        customer = _make_customer(rng, index, traits)
        customer.marketing_opt_in = consent.random() < MARKETING_OPT_IN_SHARE
        session.add(customer)
        history = simulate_orders(rng, traits, today)
        if in_flight_left and activity(traits, today) == 1.0:
            history.append(SimulatedOrder(today - timedelta(days=in_flight_left % 5), round(traits.basket_mean, 2), False, False))
            in_flight_left -= 1
        for simulated in history:
            order = _make_order(rng, customer, str(next(numbers)), simulated, today)
            session.add(order)
            counts["orders"] += 1
            counts["invoices"] += _add_invoice(order)
            counts["refunds"] += _maybe_add_refund(rng, order, today)
        contacts = simulate_support_contacts(rng, traits, history, today)
        counts["support_contacts"] += len(contacts)
        lives.append((customer, contacts, simulate_weekly_events(rng, traits, today)))
    session.flush()
    for index, (customer, contacts, _) in enumerate(lives, start=1):
        _add_support_contacts(session, customer, index, contacts)
    counts["engagement_rows"] = _insert_events(session, [(customer, events) for customer, _, events in lives])
    if get_campaign(session, DEMO_CAMPAIGN["name"]) is None:  # campaigns may have been written before the shop's data
        session.add(Campaign(**DEMO_CAMPAIGN, status="draft", created_by="demo", created_at=_at(today), updated_at=_at(today)))
    return SeedSummary(customers=customers, **counts)


def _insert_events(session: Session, lives: list[tuple[Customer, list[tuple[str, date, int]]]]) -> int:
    rows = [
        {"customer_id": customer.id, "kind": kind, "occurred_on": day, "count": count}
        for customer, events in lives
        for kind, day, count in events
    ]
    for start in range(0, len(rows), 20_000):
        session.execute(insert(EngagementEvent), rows[start : start + 20_000])
    return len(rows)


def _add_support_contacts(session: Session, customer: Customer, index: int, contacts: list[SimulatedContact]) -> None:
    """Past conversations with one analysed turn each (its intent and sentiment: the figures the churn model
    and the dashboards read); the customer must already have an id. No customer message is made up, so the
    turns have no text."""
    for number, contact in enumerate(contacts):
        mood = "happy" if contact.sentiment > 0.3 else "unhappy" if contact.sentiment < -0.3 else "neutral"
        intent = CONTACT_INTENTS[mood]
        at = _at(contact.day)
        conversation_id = f"demo-{index:05d}-{number}"
        session.add(Conversation(id=conversation_id, customer_id=customer.id, status=ConversationStatus.CLOSED, created_at=at, updated_at=at,
                                 escalated_at=at if contact.escalated else None))
        session.add(TurnAnalysis(conversation_id=conversation_id, turn_key="demo", customer_id=customer.id, intent=intent,
                                 confidence=1.0, entities=[], message_at=at, sentiment_label=MOOD_LABELS[mood],
                                 sentiment_score=contact.sentiment, sentiment_model="synthetic", created_at=at))


def _make_customer(rng: random.Random, index: int, traits: HiddenTraits) -> Customer:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Customer(
        external_id=f"C{index:04d}",
        name=f"{first} {last}",
        email=f"{first}.{last}.{index}@example.com".lower(),
        created_at=_at(traits.signup),
    )


def _make_order(rng: random.Random, customer: Customer, number: str, simulated: SimulatedOrder, today: date) -> Order:
    placed = simulated.placed
    status = _status_for_age((today - placed).days, rng)
    order = Order(
        order_number=number,
        customer=customer,
        status=status,
        total=Decimal(str(simulated.total)).quantize(Decimal("0.01")),
        currency="EUR",
        placed_at=_at(placed),
        expected_delivery=placed + timedelta(days=rng.randint(3, 5)),
        on_discount=simulated.on_discount,
        new_product=simulated.new_product,
    )
    if status in ("shipped", "delivered", "returned"):
        order.shipped_at = _at(placed + timedelta(days=1))
        order.carrier = rng.choice(CARRIERS)
        order.tracking_number = f"{order.carrier[:2].upper()}{rng.randint(10**9, 10**10 - 1)}"
    if status in ("delivered", "returned"):
        order.delivered_at = _at(placed + timedelta(days=rng.randint(2, 5)))
    return order


def _status_for_age(age_days: int, rng: random.Random) -> str:
    if age_days <= 1:
        return rng.choice(["placed", "processing"])
    if age_days <= 4:
        return rng.choice(["processing", "shipped", "shipped"])
    return rng.choices(["delivered", "cancelled", "returned"], weights=[85, 7, 8])[0]


def _add_invoice(order: Order) -> int:
    if order.status == "cancelled":
        return 0
    order.invoices.append(
        Invoice(
            invoice_number=f"INV-{order.order_number}",
            amount=order.total,
            status="paid",
            issued_at=order.placed_at,
        )
    )
    return 1


def _maybe_add_refund(rng: random.Random, order: Order, today: date) -> int:
    if order.status not in ("returned", "cancelled"):
        return 0
    requested = (order.delivered_at or order.placed_at) + timedelta(days=rng.randint(1, 10))
    requested = min(requested, _at(today))
    processed = requested + timedelta(days=rng.randint(2, 6))
    done = processed <= _at(today)
    order.refunds.append(
        Refund(
            amount=order.total,
            status="refunded" if done else rng.choice(["requested", "approved"]),
            reason="cancelled order" if order.status == "cancelled" else "item returned",
            requested_at=requested,
            processed_at=processed if done else None,
        )
    )
    return 1


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=timezone.utc)
