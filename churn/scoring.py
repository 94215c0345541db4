"""Score the customers: churn probability, 12-month value, tier and segment, one row per customer."""

from __future__ import annotations

from datetime import date
from typing import Optional

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV

from churn import clv
from churn.config import IntelligenceConfig
from churn.features import customer_features
from churn.history import CustomerHistory
from churn.model import churn_probabilities
from churn.order_status import purchases_at
from churn.tiers import segments, tiers

CLV_FIT_SAMPLE = 5000  # customers the value model is fitted on; every customer is then predicted


def score_customers(history: CustomerHistory, today: date, config: IntelligenceConfig,
                    churn_model: Optional[CalibratedClassifierCV]) -> pd.DataFrame:
    """One row per customer; customers without orders get no probability and count as newcomers."""
    features = customer_features(history, today)
    frame = pd.DataFrame(index=pd.Index(history.customers["customer_id"], name="customer_id"))
    probabilities = churn_probabilities(churn_model, features) if churn_model is not None else np.full(len(features), np.nan)
    frame["churn_probability"] = pd.Series(probabilities, index=features.index)
    frame = frame.join(_lifetime_value(history, today))
    frame["tier"] = tiers(frame["predicted_value_12m"], config)
    frame["segment"] = segments(features, config).reindex(frame.index).fillna("newcomer")
    return frame


def _lifetime_value(history: CustomerHistory, today: date) -> pd.DataFrame:
    orders = purchases_at(history.orders, pd.Timestamp(today) + pd.Timedelta(days=1))
    transactions = orders.rename(columns={"customer_id": "customer", "placed": "date", "total": "amount"})
    empty = pd.DataFrame(columns=["predicted_value_12m", "expected_orders_12m"], dtype=float)
    if transactions.empty:
        return empty
    summary = clv.summarise(transactions[["customer", "date", "amount"]], today)
    try:
        model = clv.fit(summary, max_customers=CLV_FIT_SAMPLE)
    except clv.ClvError:
        return empty
    return pd.DataFrame({
        "predicted_value_12m": model.expected_value(summary).round(2),
        "expected_orders_12m": model.expected_purchases(summary, clv.YEAR_DAYS).round(3),
    }).rename_axis("customer_id")
