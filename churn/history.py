"""A customer base's history as plain tables, read from the app database in a few queries."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from kizuna.db.models import Conversation, Customer, EngagementEvent, Order, TurnAnalysis


@dataclass(frozen=True)
class CustomerHistory:
    customers: pd.DataFrame  # customer_id, signed_up (datetime64)
    orders: pd.DataFrame  # customer_id, placed (datetime64), total, on_discount, new_product
    events: pd.DataFrame  # customer_id, kind, day (datetime64), count
    contacts: pd.DataFrame  # customer_id, conversation_id, started (datetime64), escalated (bool)
    turns: pd.DataFrame  # customer_id, at (datetime64), sentiment


def load_history(connection: Connection) -> CustomerHistory:
    customers = _frame(connection, select(Customer.id.label("customer_id"), Customer.created_at.label("signed_up")))
    orders = _frame(connection, select(Order.customer_id, Order.placed_at.label("placed"), Order.total,
                                       Order.on_discount, Order.new_product).where(Order.status != "cancelled"))
    events = _frame(connection, select(EngagementEvent.customer_id, EngagementEvent.kind,
                                       EngagementEvent.occurred_on.label("day"), EngagementEvent.count))
    contacts = _frame(connection, select(Conversation.customer_id, Conversation.id.label("conversation_id"),
                                         Conversation.created_at.label("started"),
                                         Conversation.escalated_at.is_not(None).label("escalated"))
                      .where(Conversation.customer_id.is_not(None)))
    turns = _frame(connection, select(TurnAnalysis.customer_id, TurnAnalysis.created_at.label("at"),
                                      TurnAnalysis.sentiment_score.label("sentiment"))
                   .where(TurnAnalysis.customer_id.is_not(None), TurnAnalysis.sentiment_score.is_not(None)))
    orders["total"] = orders["total"].astype(float)
    for frame, column in ((customers, "signed_up"), (orders, "placed"), (events, "day"), (contacts, "started"), (turns, "at")):
        frame[column] = _naive_days(frame[column])
    for column in ("on_discount", "new_product"):
        orders[column] = orders[column].astype(bool)
    contacts["escalated"] = contacts["escalated"].astype(bool)
    return CustomerHistory(customers, orders, events, contacts, turns)


def _frame(connection: Connection, statement) -> pd.DataFrame:
    result = connection.execute(statement)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _naive_days(column: pd.Series) -> pd.Series:
    """Dates and datetimes (with or without a zone) as naive UTC timestamps, for day arithmetic."""
    values = pd.to_datetime(column, utc=True)
    return values.dt.tz_localize(None)
