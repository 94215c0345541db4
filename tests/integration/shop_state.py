"""Putting the shared stack's shop into a known state for a test."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from kizuna.settings import get_settings
from kizuna.db.engine import session_scope
from kizuna.db.models import Customer, CustomerScore, Order
from retention.control_group import in_control_group
from retention.policy import load_policy


def order_with_status(url: str, status: str) -> Order:
    with session_scope(url) as session:
        return session.scalars(select(Order).where(Order.status == status).order_by(Order.id)).first()


def set_profile(url: str, external_id: str, churn: float, value: float, tier: str, segment: str) -> None:
    with session_scope(url) as session:
        customer = session.scalar(select(Customer).where(Customer.external_id == external_id))
        session.merge(CustomerScore(customer_id=customer.id, churn_probability=churn, predicted_value_12m=value,
                                    tier=tier, segment=segment, scored_at=datetime.now(timezone.utc)))


def treated_customers(count: int) -> list[str]:
    policy = load_policy(get_settings().retention_policy_path)
    ids = [f"C{i:04d}" for i in range(2, 41)]
    return [c for c in ids if not in_control_group(c, policy.control_share, policy.control_salt)][:count]


def owner_of(url: str, order: Order) -> Customer:
    """The customer an order belongs to (their external id signs them in; their e-mail proves the order)."""
    with session_scope(url) as session:
        return session.get(Customer, order.customer_id)


def order_of(url: str, external_id: str) -> Order:
    """One of this customer's orders."""
    with session_scope(url) as session:
        return session.scalars(select(Order).join(Customer).where(Customer.external_id == external_id).order_by(Order.id)).first()
