"""A customer base's history as plain tables: what churn features, labels and scores are computed from."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class CustomerHistory:
    customers: pd.DataFrame  # customer_id, signed_up (datetime64)
    orders: pd.DataFrame  # customer_id, placed, total, on_discount, new_product, and when each later step happened:
    #                       shipped, delivered, cancelled, returned (datetime64, NaT: not (yet)); see churn.order_status
    events: pd.DataFrame  # customer_id, kind, day (datetime64), count
    contacts: pd.DataFrame  # customer_id, conversation_id, started, escalated_at (datetime64, NaT: never escalated)
    turns: pd.DataFrame  # customer_id, at (datetime64), sentiment
