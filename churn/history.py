"""A customer base's history as plain tables: what churn features, labels and scores are computed from."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from churn.order_status import step_times


@dataclass(frozen=True)
class CustomerHistory:
    customers: pd.DataFrame  # customer_id, signed_up (datetime64)
    orders: pd.DataFrame  # customer_id, placed, total, on_discount, new_product, and when each later step happened:
    #                       shipped, delivered, cancelled, returned (datetime64, NaT: not (yet)); see churn.order_status
    events: pd.DataFrame  # customer_id, kind, day (datetime64), count
    contacts: pd.DataFrame  # customer_id, conversation_id, started, escalated_at (datetime64, NaT: never escalated)
    turns: pd.DataFrame  # customer_id, at (datetime64), sentiment


def history_from_tables(customers: pd.DataFrame, orders: pd.DataFrame, events: pd.DataFrame, contacts: pd.DataFrame,
                        turns: pd.DataFrame) -> CustomerHistory:
    """A history from stored tables whose orders carry their current status and step times (customer_id, status,
    placed, shipped, delivered, refund_requested, total, on_discount, new_product): when each step happened
    is worked out here, so a snapshot can ask for an order's status on its own day."""
    steps = step_times(orders["status"], orders["placed"], orders["shipped"], orders["delivered"], orders["refund_requested"])
    purchases = orders[["customer_id", "placed", "total", "on_discount", "new_product"]].join(steps)
    return CustomerHistory(customers, purchases, events, contacts, turns)
