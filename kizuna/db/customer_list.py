"""Customers with their stored scores, for listings (CLI and console)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kizuna.db.models import Customer, CustomerScore


def list_customers(session: Session, limit: int = 50, offset: int = 0, tier: Optional[str] = None,
                   segment: Optional[str] = None) -> list[dict]:
    """Riskiest first; customers not scored yet come last."""
    query = (select(Customer, CustomerScore).outerjoin(CustomerScore, CustomerScore.customer_id == Customer.id)
             .order_by(CustomerScore.churn_probability.desc().nulls_last(), Customer.id))
    if tier:
        query = query.where(CustomerScore.tier == tier)
    if segment:
        query = query.where(CustomerScore.segment == segment)
    return [_row(customer, score) for customer, score in session.execute(query.limit(limit).offset(offset))]


def riskiest_of_tier(session: Session, tier: str) -> Optional[tuple[Customer, Optional[float]]]:
    """The customer of `tier` with the highest churn probability, with that probability."""
    row = session.execute(
        select(Customer, CustomerScore.churn_probability).join(CustomerScore, CustomerScore.customer_id == Customer.id)
        .where(CustomerScore.tier == tier).order_by(CustomerScore.churn_probability.desc().nulls_last()).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def customer_by_external_id(session: Session, external_id: str) -> Optional[Customer]:
    return session.scalar(select(Customer).where(Customer.external_id == external_id))


def customer_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Customer)) or 0


def _row(customer: Customer, score: Optional[CustomerScore]) -> dict:
    return {
        "customer_id": customer.external_id,
        "name": customer.name,
        "churn_probability": score.churn_probability if score else None,
        "predicted_value_12m": score.predicted_value_12m if score else None,
        "tier": score.tier if score else "regular",
        "segment": score.segment if score else "unscored",
        "scored_at": score.scored_at.isoformat(timespec="seconds") if score else None,
    }
