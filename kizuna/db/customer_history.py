"""A customer base's history read from the app database in a few queries, as plain tables.

Every date and datetime comes back as a naive UTC timestamp (for day arithmetic); the churn domain turns
these tables into its CustomerHistory (churn.history.history_from_tables).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from kizuna.db.models import Conversation, Customer, EngagementEvent, Order, Refund, TurnAnalysis


@dataclass(frozen=True)
class HistoryTables:
    customers: pd.DataFrame  # customer_id, signed_up
    orders: pd.DataFrame  # customer_id, status, placed, shipped, delivered, refund_requested (the first refund asked for),
    #                       total (float), on_discount, new_product (bool); every order, cancelled ones too
    events: pd.DataFrame  # customer_id, kind, day, count
    contacts: pd.DataFrame  # customer_id, conversation_id, started, escalated_at
    turns: pd.DataFrame  # customer_id, at, sentiment


def read_history_tables(connection: Connection) -> HistoryTables:
    customers = _frame(connection, select(Customer.id.label("customer_id"), Customer.created_at.label("signed_up")))
    orders = _orders(connection)
    events = _frame(connection, select(EngagementEvent.customer_id, EngagementEvent.kind,
                                       EngagementEvent.occurred_on.label("day"), EngagementEvent.count))
    contacts = _frame(connection, select(Conversation.customer_id, Conversation.id.label("conversation_id"),
                                         Conversation.created_at.label("started"),
                                         Conversation.escalated_at)
                      .where(Conversation.customer_id.is_not(None)))
    turns = _frame(connection, select(TurnAnalysis.customer_id, TurnAnalysis.created_at.label("at"),
                                      TurnAnalysis.sentiment_score.label("sentiment"))
                   .where(TurnAnalysis.customer_id.is_not(None), TurnAnalysis.sentiment_score.is_not(None)))
    for frame, column in ((customers, "signed_up"), (events, "day"), (contacts, "started"), (contacts, "escalated_at"),
                          (turns, "at")):
        frame[column] = _naive_days(frame[column])
    return HistoryTables(customers, orders, events, contacts, turns)


def _orders(connection: Connection) -> pd.DataFrame:
    """Every order, cancelled ones too, with the times of its steps (a snapshot asks for the status on its day)."""
    first_refund = (select(Refund.order_id, func.min(Refund.requested_at).label("refund_requested"))
                    .group_by(Refund.order_id).subquery())
    raw = _frame(connection, select(Order.customer_id, Order.status, Order.placed_at, Order.shipped_at, Order.delivered_at,
                                    first_refund.c.refund_requested, Order.total, Order.on_discount, Order.new_product)
                 .outerjoin(first_refund, first_refund.c.order_id == Order.id))
    return pd.DataFrame({"customer_id": raw["customer_id"], "status": raw["status"], "placed": _naive_days(raw["placed_at"]),
                         "shipped": _naive_days(raw["shipped_at"]), "delivered": _naive_days(raw["delivered_at"]),
                         "refund_requested": _naive_days(raw["refund_requested"]), "total": raw["total"].astype(float),
                         "on_discount": raw["on_discount"].astype(bool), "new_product": raw["new_product"].astype(bool)})


def _frame(connection: Connection, statement) -> pd.DataFrame:
    result = connection.execute(statement)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _naive_days(column: pd.Series) -> pd.Series:
    """Dates and datetimes (with or without a zone) as naive UTC timestamps, for day arithmetic."""
    values = pd.to_datetime(column, utc=True)
    return values.dt.tz_localize(None)
