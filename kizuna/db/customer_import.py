"""Writing imported customer data: customers by customer_id, orders by order_id, engagement events by
(customer, kind, day). Rows come as checked tables (see churn.importing), a single order as the shop reported
it (console.shop_webhook_routes); everything is written in the caller's transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizuna.db.models import Customer, EngagementEvent, Order


def known_customers(session: Session, external_ids: set[str]) -> dict[str, Customer]:
    """The customers already stored, by their external id."""
    found: dict[str, Customer] = {}
    ids = sorted(external_ids)
    for start in range(0, len(ids), 500):
        for customer in session.scalars(select(Customer).where(Customer.external_id.in_(ids[start : start + 500]))):
            found[customer.external_id] = customer
    return found


def upsert_customers(session: Session, rows: pd.DataFrame, known: dict[str, Customer]) -> tuple[int, int, dict[str, Customer]]:
    """rows: customer_id, name, signed_up, email, marketing_opt_in (None: consent left as it is).
    An unsubscribe stays: an import never clears unsubscribed_at. Returns (created, updated, every customer by external id)."""
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
        if row.marketing_opt_in is not None:
            customer.marketing_opt_in = bool(row.marketing_opt_in)
    session.flush()
    return created, updated, known


def upsert_orders(session: Session, rows: pd.DataFrame, customers: dict[str, Customer]) -> tuple[int, int]:
    """rows: order_id, customer_id, placed_at, total, status, currency, on_discount, new_product, code (None: the
    order's code left as it is; "": none). Returns (created, updated)."""
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
        if row.code is not None:
            order.offer_code = row.code or None
    session.flush()
    return created, len(rows) - created


def _existing_orders(session: Session, numbers: list[str]) -> list[Order]:
    found: list[Order] = []
    for start in range(0, len(numbers), 500):
        found += session.scalars(select(Order).where(Order.order_number.in_(numbers[start : start + 500]))).all()
    return found


def upsert_events(session: Session, rows: pd.DataFrame, customers: dict[str, Customer]) -> int:
    """rows: customer_id, kind, date, count. Returns how many rows were written."""
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


class UnknownCustomer(LookupError):
    """The order names a customer the database does not have."""


class OrderOfAnotherCustomer(ValueError):
    """The order number is stored already, for another customer."""


def store_reported_order(session: Session, customer_external_id: str, order_number: str,
                         values: dict[str, Any]) -> tuple[Order, bool]:
    """One order the shop reported: stored by its number, a report sent again updates it. `values` holds the
    order's columns (a code of None leaves the stored one). Returns (the order, whether it is new)."""
    customer = session.scalar(select(Customer).where(Customer.external_id == customer_external_id))
    if customer is None:
        raise UnknownCustomer(f"no customer with id {customer_external_id!r}; import the customer first")
    order = session.scalar(select(Order).where(Order.order_number == order_number))
    created = order is None
    if created:
        try:
            with session.begin_nested():  # the same report arriving twice at once: the second one updates
                order = Order(order_number=order_number, customer_id=customer.id, **_order_columns(values))
                session.add(order)
                session.flush()
            return order, True
        except IntegrityError:
            order = session.scalar(select(Order).where(Order.order_number == order_number))
    if order.customer_id != customer.id:
        raise OrderOfAnotherCustomer(f"order {order_number!r} is stored already for another customer")
    for column, value in _order_columns(values).items():
        setattr(order, column, value)
    session.flush()
    return order, False


def _order_columns(values: dict[str, Any]) -> dict[str, Any]:
    return {column: value for column, value in values.items() if not (column == "offer_code" and value is None)}
