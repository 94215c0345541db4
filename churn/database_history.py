"""A customer base's history (churn.history) read from the app database in a few queries."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from churn.history import CustomerHistory
from churn.order_status import step_times
from kizuna.db.models import Conversation, Customer, EngagementEvent, Order, Refund, TurnAnalysis


def load_history(connection: Connection) -> CustomerHistory:
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
    return CustomerHistory(customers, orders, events, contacts, turns)


def _orders(connection: Connection) -> pd.DataFrame:
    """Every order, cancelled ones too, with when each step happened (a snapshot asks for the status on its day)."""
    first_refund = (select(Refund.order_id, func.min(Refund.requested_at).label("refund_requested"))
                    .group_by(Refund.order_id).subquery())
    raw = _frame(connection, select(Order.customer_id, Order.status, Order.placed_at, Order.shipped_at, Order.delivered_at,
                                    first_refund.c.refund_requested, Order.total, Order.on_discount, Order.new_product)
                 .outerjoin(first_refund, first_refund.c.order_id == Order.id))
    placed = _naive_days(raw["placed_at"])
    steps = step_times(raw["status"], placed, _naive_days(raw["shipped_at"]), _naive_days(raw["delivered_at"]),
                       _naive_days(raw["refund_requested"]))
    purchase = pd.DataFrame({"customer_id": raw["customer_id"], "placed": placed, "total": raw["total"].astype(float),
                             "on_discount": raw["on_discount"].astype(bool), "new_product": raw["new_product"].astype(bool)})
    return purchase.join(steps)


def _frame(connection: Connection, statement) -> pd.DataFrame:
    result = connection.execute(statement)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _naive_days(column: pd.Series) -> pd.Series:
    """Dates and datetimes (with or without a zone) as naive UTC timestamps, for day arithmetic."""
    values = pd.to_datetime(column, utc=True)
    return values.dt.tz_localize(None)
