"""Rows for the results tests: campaigns, their contacts, chat offers, orders and webhook endpoints, written
directly as a campaign run and a chat would have left them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Iterator, Optional

import pytest

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import (Campaign, CampaignContact, Customer, IssuedOffer, Order, RetentionDecision, TurnAnalysis,
                              WebhookEndpoint)
from tests.conftest import _postgres_reachable, fresh_postgres_database, unavailable

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


def customer(session: Session, external_id: str, name: str = "Wen Li", email: Optional[str] = "wen@example.com") -> Customer:
    row = Customer(external_id=external_id, name=name, email=email, created_at=NOW - timedelta(days=400))
    session.add(row)
    session.flush()
    return row


def customer_by(session: Session, external_id: str) -> Customer:
    return session.scalar(select(Customer).where(Customer.external_id == external_id))


def campaign(session: Session, name: str = "Win back silver", holdout_share: float = 0.5) -> Campaign:
    row = Campaign(name=name, rule={"min_churn_probability": 0.5}, channel="email", holdout_share=holdout_share,
                   daily_budget=500.0, status="active", created_by="admin", approved_by="admin", approved_at=NOW)
    session.add(row)
    session.flush()
    return row


def contact(session: Session, of: Campaign, who: Customer, *, arm: str = "treatment", at: datetime = NOW,
            code: Optional[str] = None, valid_days: int = 14, offer_id: str = "discount_10", cost: float = 6.0,
            sent: bool = True, opened: bool = False, clicked: bool = False) -> CampaignContact:
    treated = arm == "treatment"
    row = CampaignContact(
        campaign_id=of.id, customer_id=who.id, contact_day=at.date(), arm=arm, channel="email",
        status=("sent" if sent else "queued") if treated else "held_out", offer_id=offer_id, offer_kind="discount",
        cost=cost, expected_gain=12.0, churn_probability=0.7, value_12m=180.0, tier="silver", segment="drifting",
        code=code if treated else None, valid_until=at.date() + timedelta(days=valid_days) if treated and code else None,
        created_at=at, sent_at=at + timedelta(minutes=5) if treated and sent else None,
        opened_at=at + timedelta(hours=2) if opened else None, clicked_at=at + timedelta(hours=3) if clicked else None)
    session.add(row)
    session.flush()
    return row


def chat_offer(session: Session, who: Customer, code: str, *, accepted_at: datetime = NOW, valid_days: int = 30,
               offer_id: str = "free_shipping") -> IssuedOffer:
    conversation = f"chat-{code}"
    turn = TurnAnalysis(conversation_id=conversation, turn_key="t1", customer_id=who.id, intent="cancel_order")
    session.add(turn)
    session.flush()
    decision = RetentionDecision(turn_analysis_id=turn.id, conversation_id=conversation, customer_id=who.id, action="offer",
                                 offer_id=offer_id, explanation="at risk", presented=True, created_at=accepted_at)
    session.add(decision)
    session.flush()
    offer = IssuedOffer(decision_id=decision.id, customer_id=who.id, conversation_id=conversation, offer_id=offer_id,
                        kind="free_shipping", cost=4.9, status="accepted", code=code, offered_at=accepted_at,
                        responded_at=accepted_at, valid_until=(accepted_at + timedelta(days=valid_days)).date())
    session.add(offer)
    session.flush()
    return offer


def order(session: Session, who: Customer, number: str, placed_at: datetime, total: str = "40.00",
          code: Optional[str] = None, status: str = "delivered") -> Order:
    row = Order(order_number=number, customer_id=who.id, status=status, total=Decimal(total), currency="EUR",
                placed_at=placed_at, offer_code=code)
    session.add(row)
    session.flush()
    return row


def endpoint(session: Session, events: tuple[str, ...] = ("offer.redeemed",)) -> WebhookEndpoint:
    row = WebhookEndpoint(url="http://127.0.0.1:9/hook", secret="s" * 32, events=list(events), created_by="admin")
    session.add(row)
    session.flush()
    return row


def day(offset: int) -> datetime:
    """NOW moved by `offset` days."""
    return NOW + timedelta(days=offset)




@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database (row locks: what two transactions at once do)."""
    reason = _postgres_reachable()
    if reason:
        unavailable(reason)
    with fresh_postgres_database("kizuna_results") as (url, _admin, _name):
        yield url
