"""Import customers, orders and engagement events from CSV files: all of it or none of it.

Columns (header names, in any order):
  customers: customer_id, name, signed_up [, email]
  orders:    order_id, customer_id, placed_at, total [, status, currency, on_discount, new_product]
  events:    customer_id, kind, date [, count]
Re-importing updates customers by customer_id, orders by order_id and events by
(customer_id, kind, date).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Optional

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from churn.tabular_input import InputError, fail_at, parse_amounts, parse_dates, read_table, require_columns, require_filled
from kizuna.db.models import Customer, EngagementEvent, Order

ORDER_STATUSES = ("placed", "processing", "shipped", "delivered", "cancelled", "returned")
EVENT_KINDS = ("visit", "login", "email_sent", "email_opened")
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "y"}, {"0", "false", "no", "n", ""}


@dataclass(frozen=True)
class ImportSummary:
    customers_created: int = 0
    customers_updated: int = 0
    orders_created: int = 0
    orders_updated: int = 0
    event_rows: int = 0


def read_customers(path: Path) -> pd.DataFrame:
    frame = read_table(path)
    require_columns(path, frame, ["customer_id", "name", "signed_up"], ["email"])
    result = pd.DataFrame({
        "customer_id": require_filled(path, frame, "customer_id"),
        "name": require_filled(path, frame, "name"),
        "signed_up": parse_dates(path, frame, "signed_up"),
        "email": frame["email"].str.strip() if "email" in frame else "",
    })
    _no_duplicates(path, frame, result["customer_id"], "customer_id")
    _max_length(path, frame, "customer_id", 64), _max_length(path, frame, "name", 200)
    if "email" in frame:
        fail_at(path, frame, (result["email"] != "") & ~result["email"].str.contains("@", regex=False), "email", "not an e-mail address")
    return result


def read_orders(path: Path) -> pd.DataFrame:
    frame = read_table(path)
    optional = ["status", "currency", "on_discount", "new_product"]
    require_columns(path, frame, ["order_id", "customer_id", "placed_at", "total"], optional)
    result = pd.DataFrame({
        "order_id": require_filled(path, frame, "order_id"),
        "customer_id": require_filled(path, frame, "customer_id"),
        "placed_at": parse_dates(path, frame, "placed_at"),
        "total": parse_amounts(path, frame, "total"),
        "status": frame["status"].str.strip().str.lower().replace("", "delivered") if "status" in frame else "delivered",
        "currency": frame["currency"].str.strip().str.upper().replace("", "EUR") if "currency" in frame else "EUR",
        "on_discount": _flags(path, frame, "on_discount"),
        "new_product": _flags(path, frame, "new_product"),
    })
    _no_duplicates(path, frame, result["order_id"], "order_id")
    _max_length(path, frame, "order_id", 32)
    if "status" in frame:
        fail_at(path, frame, ~result["status"].isin(ORDER_STATUSES), "status", f"not one of {', '.join(ORDER_STATUSES)}")
    if "currency" in frame:
        fail_at(path, frame, ~result["currency"].str.fullmatch(r"[A-Z]{3}"), "currency", "not a three-letter currency code")
    return result


def read_events(path: Path) -> pd.DataFrame:
    frame = read_table(path)
    require_columns(path, frame, ["customer_id", "kind", "date"], ["count"])
    result = pd.DataFrame({
        "customer_id": require_filled(path, frame, "customer_id"),
        "kind": frame["kind"].str.strip().str.lower(),
        "date": parse_dates(path, frame, "date").dt.date,
        "count": parse_amounts(path, frame, "count") if "count" in frame else 1.0,
    })
    fail_at(path, frame, ~result["kind"].isin(EVENT_KINDS), "kind", f"not one of {', '.join(EVENT_KINDS)}")
    fail_at(path, frame, result["count"] % 1 != 0, "count", "not a whole number")
    _no_duplicates(path, frame, result["customer_id"] + "|" + result["kind"] + "|" + result["date"].astype(str), "date",
                   "the same customer, kind and date appear twice")
    return result


def _flags(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    values = frame[column].str.strip().str.lower()
    fail_at(path, frame, ~values.isin(TRUE_WORDS | FALSE_WORDS), column, "not a yes/no value (use 1 or 0)")
    return values.isin(TRUE_WORDS)


def _no_duplicates(path: Path, frame: pd.DataFrame, keys: pd.Series, column: str, problem: str = "a duplicate id") -> None:
    fail_at(path, frame, keys.duplicated(), column, problem)


def _max_length(path: Path, frame: pd.DataFrame, column: str, limit: int) -> None:
    fail_at(path, frame, frame[column].str.len() > limit, column, f"longer than {limit} characters")


def import_files(session: Session, customers: Path, orders: Path, events: Optional[Path] = None) -> ImportSummary:
    """Validate every file first, then write in the caller's transaction."""
    customer_rows, order_rows = read_customers(customers), read_orders(orders)
    event_rows = read_events(events) if events else None
    referenced = set(customer_rows["customer_id"]) | set(order_rows["customer_id"])
    known = _known_customers(session, referenced | (set(event_rows["customer_id"]) if event_rows is not None else set()))
    for path, rows in ((orders, order_rows), (events, event_rows)):
        if rows is not None:
            unknown = ~rows["customer_id"].isin(set(customer_rows["customer_id"]) | set(known))
            fail_at(path, rows, unknown, "customer_id", "no such customer in the customers file or the database")
    created, updated, by_external = _upsert_customers(session, customer_rows, known)
    orders_created, orders_updated = _upsert_orders(session, order_rows, by_external)
    written = _upsert_events(session, event_rows, by_external) if event_rows is not None else 0
    return ImportSummary(created, updated, orders_created, orders_updated, written)


def _known_customers(session: Session, external_ids: set[str]) -> dict[str, Customer]:
    found: dict[str, Customer] = {}
    ids = sorted(external_ids)
    for start in range(0, len(ids), 500):
        for customer in session.scalars(select(Customer).where(Customer.external_id.in_(ids[start : start + 500]))):
            found[customer.external_id] = customer
    return found


def _upsert_customers(session: Session, rows: pd.DataFrame, known: dict[str, Customer]) -> tuple[int, int, dict[str, Customer]]:
    created = updated = 0
    for row in rows.itertuples(index=False):
        customer = known.get(row.customer_id)
        if customer is None:
            customer = known[row.customer_id] = Customer(external_id=row.customer_id)
            session.add(customer)
            created += 1
        else:
            updated += 1
        customer.name, customer.email = row.name, row.email or None
        customer.created_at = row.signed_up.to_pydatetime()
    session.flush()
    return created, updated, known


def _upsert_orders(session: Session, rows: pd.DataFrame, customers: dict[str, Customer]) -> tuple[int, int]:
    existing = {o.order_number: o for o in _existing_orders(session, list(rows["order_id"]))}
    created = 0
    for row in rows.itertuples(index=False):
        order = existing.get(row.order_id)
        if order is None:
            order = Order(order_number=row.order_id)
            session.add(order)
            created += 1
        order.customer_id = customers[row.customer_id].id
        order.placed_at, order.total = row.placed_at.to_pydatetime(), Decimal(str(round(row.total, 2)))
        order.status, order.currency = row.status, row.currency
        order.on_discount, order.new_product = bool(row.on_discount), bool(row.new_product)
    session.flush()
    return created, len(rows) - created


def _existing_orders(session: Session, numbers: list[str]) -> list[Order]:
    found: list[Order] = []
    for start in range(0, len(numbers), 500):
        found += session.scalars(select(Order).where(Order.order_number.in_(numbers[start : start + 500]))).all()
    return found


def _upsert_events(session: Session, rows: pd.DataFrame, customers: dict[str, Customer]) -> int:
    ids = sorted({customers[external].id for external in rows["customer_id"]})
    existing: dict[tuple, EngagementEvent] = {}
    for start in range(0, len(ids), 500):
        for event in session.scalars(select(EngagementEvent).where(EngagementEvent.customer_id.in_(ids[start : start + 500]))):
            existing[(event.customer_id, event.kind, event.occurred_on)] = event
    for row in rows.itertuples(index=False):
        key = (customers[row.customer_id].id, row.kind, row.date)
        if key in existing:
            existing[key].count = int(row.count)
        else:
            session.add(EngagementEvent(customer_id=key[0], kind=row.kind, occurred_on=row.date, count=int(row.count)))
    session.flush()
    return len(rows)
