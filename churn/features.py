"""Per-customer features at a cutoff date, computed only from what was known at that date."""

from __future__ import annotations

from datetime import date

import pandas as pd

from churn.history import CustomerHistory
from churn.order_status import purchases_at

FEATURE_COLUMNS = [
    "recency_days", "frequency", "orders_last_90d", "monetary_mean", "monetary_total", "tenure_days",
    "interval_lengthening", "overdue_ratio", "visits_last_30d", "visit_drop", "logins_last_30d",
    "unopened_email_rise", "discount_share", "new_product_share", "support_contacts_180d",
    "escalations_180d", "recent_sentiment", "worst_sentiment",
]


def customer_features(history: CustomerHistory, cutoff: date) -> pd.DataFrame:
    """One row per customer who had signed up and ordered by the cutoff, indexed by customer_id."""
    end = pd.Timestamp(cutoff) + pd.Timedelta(days=1)  # everything on the cutoff day counts as known
    orders = purchases_at(history.orders, end)  # an order cancelled after the cutoff was still a purchase then
    customers = history.customers[history.customers["signed_up"] < end].set_index("customer_id")
    frame = _purchase_features(orders, end).reindex(customers.index.intersection(orders["customer_id"].unique()))
    frame["tenure_days"] = (end - customers.loc[frame.index, "signed_up"]).dt.days
    frame = frame.join(_engagement_features(history.events, end)).join(_support_features(history, end))
    for column in ("visits_last_30d", "logins_last_30d", "support_contacts_180d", "escalations_180d"):
        frame[column] = frame[column].fillna(0)
    for column in ("recent_sentiment", "worst_sentiment"):  # no support contact reads as neutral
        frame[column] = frame[column].fillna(0.0)
    return frame[FEATURE_COLUMNS].astype(float)


def _purchase_features(orders: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    orders = orders.sort_values(["customer_id", "placed"])
    grouped = orders.groupby("customer_id")
    gaps = grouped["placed"].diff().dt.days
    gap_stats = pd.DataFrame({"customer_id": orders["customer_id"], "gap": gaps}).dropna().groupby("customer_id")["gap"]
    last_gap, gap_count, gap_sum = gap_stats.last(), gap_stats.size(), gap_stats.sum()
    earlier_mean = ((gap_sum - last_gap) / (gap_count - 1)).where(gap_count > 1)
    frame = pd.DataFrame({
        "recency_days": (end - grouped["placed"].max()).dt.days,
        "frequency": grouped.size(),
        "orders_last_90d": orders[orders["placed"] >= end - pd.Timedelta(days=90)].groupby("customer_id").size(),
        "monetary_mean": grouped["total"].mean(),
        "monetary_total": grouped["total"].sum(),
        "discount_share": grouped["on_discount"].mean(),
        "new_product_share": grouped["new_product"].mean(),
    })
    frame["orders_last_90d"] = frame["orders_last_90d"].fillna(0)
    frame["interval_lengthening"] = last_gap / (earlier_mean + 1)
    frame["overdue_ratio"] = frame["recency_days"] / (gap_stats.mean() + 1)
    return frame


def _engagement_features(events: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    events = events[(events["day"] < end) & (events["day"] >= end - pd.Timedelta(days=180))]
    age = (end - events["day"]).dt.days
    recent30, prior = age <= 30, (age > 30) & (age <= 120)
    recent60, prior_mail = age <= 60, (age > 60) & (age <= 180)

    def total(kind: str, mask: pd.Series) -> pd.Series:
        selected = events[mask & (events["kind"] == kind)]
        return selected.groupby("customer_id")["count"].sum()

    customers = pd.Index(events["customer_id"].unique(), name="customer_id")
    visits_recent = total("visit", recent30).reindex(customers, fill_value=0)
    visits_prior = (total("visit", prior) / 3).reindex(customers, fill_value=0)  # per 30 days
    frame = pd.DataFrame({"visits_last_30d": visits_recent, "logins_last_30d": total("login", recent30)})
    frame["visit_drop"] = (visits_prior - visits_recent) / (visits_prior + 1)
    unopened_recent = 1 - total("email_opened", recent60).div(total("email_sent", recent60)).clip(upper=1)
    unopened_prior = 1 - total("email_opened", prior_mail).div(total("email_sent", prior_mail)).clip(upper=1)
    frame["unopened_email_rise"] = unopened_recent.fillna(1).sub(unopened_prior.fillna(1), fill_value=0)
    return frame


def _support_features(history: CustomerHistory, end: pd.Timestamp) -> pd.DataFrame:
    window = end - pd.Timedelta(days=180)
    contacts = history.contacts[(history.contacts["started"] < end) & (history.contacts["started"] >= window)]
    escalated = contacts[contacts["escalated_at"] < end]  # an escalation after the cutoff was not known then
    turns = history.turns[history.turns["at"] < end]
    recent_turns = turns[turns["at"] >= end - pd.Timedelta(days=90)]
    return pd.DataFrame({
        "support_contacts_180d": contacts.groupby("customer_id").size(),
        "escalations_180d": escalated.groupby("customer_id").size(),
        "recent_sentiment": recent_turns.groupby("customer_id")["sentiment"].mean(),
        "worst_sentiment": turns.groupby("customer_id")["sentiment"].min(),
    })


def churn_labels(history: CustomerHistory, customer_ids: pd.Index, cutoff: date, horizon_days: int) -> pd.Series:
    """1 where the customer placed no order in the `horizon_days` after the cutoff."""
    start = pd.Timestamp(cutoff) + pd.Timedelta(days=1)
    stop = start + pd.Timedelta(days=horizon_days)
    orders = purchases_at(history.orders, stop)
    came_back = orders[orders["placed"] >= start]["customer_id"].unique()
    return pd.Series((~customer_ids.isin(came_back)).astype(int), index=customer_ids, name="churned")
