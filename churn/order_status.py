"""An order's status on a given day, from when each step happened to it: placed, shipped, delivered, then
cancelled or returned. Today's status says nothing about a past day: an order delivered last week was on its
way the week before, and one cancelled yesterday was a purchase until then."""

from __future__ import annotations

import pandas as pd

STEPS = ("shipped", "delivered", "cancelled", "returned")  # the columns of when each happened (NaT: not yet)


def step_times(status: pd.Series, placed: pd.Series, shipped: pd.Series, delivered: pd.Series,
               refund_requested: pd.Series) -> pd.DataFrame:
    """When each step happened, from an order's current status and its timestamps. A cancellation or a return
    has no time of its own: it happened when its refund was asked for, else (cancelled) when the order was
    placed or (returned) when it was delivered."""
    cancelled, returned = status == "cancelled", status == "returned"
    return pd.DataFrame({
        "shipped": shipped,
        "delivered": delivered,
        "cancelled": refund_requested.fillna(placed).where(cancelled),
        "returned": refund_requested.fillna(delivered).fillna(placed).where(returned),
    }, index=status.index)


def status_at(orders: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    """Each order's status just before `end` (NaN for an order not placed by then)."""
    status = pd.Series("placed", index=orders.index, dtype=object)
    for step in STEPS:  # a later step overrides an earlier one
        status = status.mask(orders[step] < end, step)
    return status.where(orders["placed"] < end)


def purchases_at(orders: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """The orders placed before `end` that were not cancelled by then."""
    placed = orders[orders["placed"] < end]
    return placed[status_at(placed, end) != "cancelled"]
