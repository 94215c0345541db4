"""A deterministic synthetic shop for demos and tests.

Everything here is made up: names, e-mail addresses (on the reserved example.com domain),
orders, refunds and invoices are generated from a seed. Dates are laid out backwards from
`today`, so the same seed and the same `today` give exactly the same shop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizuna.db.models import Customer, Invoice, Order, Refund

FIRST_NAMES = [
    "Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kira", "Liam",
    "Maya", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wen", "Yuki", "Zoe",
]
LAST_NAMES = [
    "Schmidt", "Novak", "Garcia", "Okafor", "Rossi", "Jensen", "Tanaka", "Dubois", "Kowalski", "Silva",
    "Murphy", "Andersson", "Haddad", "Kim", "Weber", "Moreau", "Costa", "Nowak", "Ivanova", "Brown",
]
CARRIERS = ["DHL", "UPS", "DPD", "Hermes"]
FIRST_ORDER_NUMBER = 10001


@dataclass(frozen=True)
class SeedSummary:
    customers: int
    orders: int
    refunds: int
    invoices: int


def database_is_empty(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(Customer)) or 0) == 0


def seed_demo_shop(session: Session, *, customers: int = 200, seed: int = 7, today: date | None = None) -> SeedSummary:
    """Fill an empty database with a synthetic shop."""
    if not database_is_empty(session):
        raise ValueError("the database already has customers; demo data goes only into an empty database")
    rng = random.Random(seed)
    today = today or date.today()
    counts = {"orders": 0, "refunds": 0, "invoices": 0}
    order_number = FIRST_ORDER_NUMBER
    for index in range(1, customers + 1):
        customer = _make_customer(rng, index, today)
        session.add(customer)
        for _ in range(rng.randint(1, 6)):
            order = _make_order(rng, customer, str(order_number), today)
            order_number += 1
            session.add(order)
            counts["orders"] += 1
            counts["invoices"] += _add_invoice(order)
            counts["refunds"] += _maybe_add_refund(rng, order, today)
    session.flush()
    return SeedSummary(customers=customers, **counts)


def _make_customer(rng: random.Random, index: int, today: date) -> Customer:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return Customer(
        external_id=f"C{index:04d}",
        name=f"{first} {last}",
        email=f"{first}.{last}.{index}@example.com".lower(),
        created_at=_at(today - timedelta(days=rng.randint(30, 900))),
    )


def _make_order(rng: random.Random, customer: Customer, number: str, today: date) -> Order:
    placed = today - timedelta(days=rng.choice([0, 1, 2, 3, 5, 8, 13, 21, 40, 75, 120, 200]))
    status = _status_for_age((today - placed).days, rng)
    order = Order(
        order_number=number,
        customer=customer,
        status=status,
        total=Decimal(rng.randint(900, 25000)) / 100,
        currency="EUR",
        placed_at=_at(placed),
        expected_delivery=placed + timedelta(days=rng.randint(3, 5)),
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
