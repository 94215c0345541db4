"""The precomputed customer scores (churn probability, 12-month value, tier, segment): replacing them all, and
how far they cover the customers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

import pandas as pd
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from kizuna.db.models import Customer, CustomerScore


def store_scores(connection: Connection, scores: pd.DataFrame, churn_model_version: Optional[str]) -> int:
    """Replace every stored score in one transaction (readers see the old set or the new one).

    `scores`: one row per customer id (the index) with churn_probability, predicted_value_12m,
    expected_orders_12m, tier and segment."""
    scored_at = datetime.now(timezone.utc)
    rows = [
        {
            "customer_id": int(customer_id),
            "churn_probability": _number(row.churn_probability),
            "predicted_value_12m": _number(row.predicted_value_12m),
            "expected_orders_12m": _number(row.expected_orders_12m),
            "tier": row.tier,
            "segment": row.segment,
            "churn_model": churn_model_version,
            "scored_at": scored_at,
        }
        for customer_id, row in zip(scores.index, scores.itertuples(index=False))
    ]
    connection.execute(delete(CustomerScore))
    for start in range(0, len(rows), 20_000):
        connection.execute(insert(CustomerScore), rows[start : start + 20_000])
    return len(rows)


def score_coverage(connection: Connection) -> tuple[int, int, Optional[datetime]]:
    """How many customers there are, how many have a score, and when the oldest score was made."""
    customers = connection.scalar(select(func.count()).select_from(Customer)) or 0
    scored = connection.scalar(select(func.count()).select_from(CustomerScore)) or 0
    oldest = connection.scalar(select(func.min(CustomerScore.scored_at)))
    return customers, scored, oldest


def _number(value: object) -> Optional[float]:
    return None if value is None or pd.isna(value) else round(float(value), 6)
