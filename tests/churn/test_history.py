"""A snapshot at a past cutoff, read from the app database: each order as it stood on that day, and only the
escalations that had happened by then (today's status and later escalations must not leak into it)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pandas as pd

from churn.features import customer_features
from churn.order_status import status_at
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.models import Conversation, Customer, Order, Refund
from turn_core.customer_scoring import load_history

CUTOFF = date(2026, 6, 30)
END = pd.Timestamp("2026-07-01")  # the whole cutoff day


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=timezone.utc)


def order(number: str, status: str, placed: str, shipped: str | None = None, delivered: str | None = None) -> Order:
    return Order(order_number=number, status=status, total=Decimal("50.00"), placed_at=at(placed),
                 shipped_at=at(shipped) if shipped else None, delivered_at=at(delivered) if delivered else None)


def shop(url: str) -> None:
    with session_scope(url) as session:
        customer = Customer(external_id="C1", name="Ann", created_at=at("2026-01-01"))
        cancelled_later = order("1003", "cancelled", "2026-06-20")
        cancelled_later.refunds.append(Refund(amount=Decimal("50.00"), status="refunded", requested_at=at("2026-07-05")))
        customer.orders = [
            order("1001", "delivered", "2026-06-27", shipped="2026-06-28", delivered="2026-07-02"),
            order("1002", "cancelled", "2026-06-10"),  # no refund: cancelled when placed
            cancelled_later,
            order("1004", "returned", "2026-05-01", shipped="2026-05-02", delivered="2026-05-04"),
        ]
        session.add(customer)
        session.flush()
        session.add_all([
            Conversation(id="early", customer_id=customer.id, created_at=at("2026-06-01"), escalated_at=at("2026-06-01")),
            Conversation(id="late", customer_id=customer.id, created_at=at("2026-06-29"), escalated_at=at("2026-07-03")),
        ])


def test_a_past_snapshot_sees_each_order_as_it_stood_on_the_cutoff(sqlite_url):
    shop(sqlite_url)
    with get_engine(sqlite_url).connect() as connection:
        history = load_history(connection)
    statuses = status_at(history.orders.sort_values("placed"), END)
    # 1004 returned in May; 1002 cancelled when placed; 1003 cancelled only on 5 July; 1001 delivered on 2 July
    assert list(statuses) == ["returned", "cancelled", "placed", "shipped"]
    assert list(status_at(history.orders.sort_values("placed"), pd.Timestamp("2026-07-06"))) == [
        "returned", "cancelled", "cancelled", "delivered"]


def test_past_features_count_orders_cancelled_later_and_only_earlier_escalations(sqlite_url):
    shop(sqlite_url)
    with get_engine(sqlite_url).connect() as connection:
        features = customer_features(load_history(connection), CUTOFF).iloc[0]
    assert features["frequency"] == 3  # 1004, 1003 (not yet cancelled) and 1001; not 1002
    assert (features["support_contacts_180d"], features["escalations_180d"]) == (2, 1)
