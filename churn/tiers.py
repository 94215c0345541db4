"""Value tiers and behaviour segments (rules in data/customers/intelligence.yml)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from churn.config import IntelligenceConfig

TIERS = ("regular", "silver", "vip")
DEFAULT_SEGMENT = "steady"


def tiers(predicted_value: pd.Series, config: IntelligenceConfig) -> pd.Series:
    value = predicted_value.fillna(0.0).to_numpy()
    labels = np.select([value >= config.vip_from, value >= config.silver_from], ["vip", "silver"], default="regular")
    return pd.Series(labels, index=predicted_value.index, name="tier")


def segments(features: pd.DataFrame, config: IntelligenceConfig) -> pd.Series:
    """The first matching rule in the configured order wins; nobody matched is 'steady'."""
    result = pd.Series(DEFAULT_SEGMENT, index=features.index, name="segment", dtype=object)
    unassigned = pd.Series(True, index=features.index)
    for name, rule in config.segments.items():
        matched = unassigned & _matches(features, rule)
        result[matched] = name
        unassigned &= ~matched
    return result


def _matches(features: pd.DataFrame, rule: dict) -> pd.Series:
    """All conditions must hold, or any one of them with `match: any`."""
    conditions = {key: value for key, value in rule.items() if key != "match"}
    checks = {
        "min_orders": lambda v: features["frequency"] >= v,
        "max_orders": lambda v: features["frequency"] <= v,
        "min_discount_share": lambda v: features["discount_share"] >= v,
        "max_discount_share": lambda v: features["discount_share"] <= v,
        "min_new_product_share": lambda v: features["new_product_share"] >= v,
        "max_tenure_days": lambda v: features["tenure_days"] <= v,
    }
    unknown = [key for key in conditions if key not in checks]
    if unknown:
        raise ValueError(f"unknown segment condition(s) {', '.join(unknown)}; known: {', '.join(checks)}")
    results = [checks[key](value) for key, value in conditions.items()]
    if not results:
        return pd.Series(False, index=features.index)
    combined = results[0]
    for result in results[1:]:
        combined = (combined | result) if rule.get("match") == "any" else (combined & result)
    return combined
