"""The widget nudge of a campaign: a treated customer's pending widget contact, shown once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kizuna.db.models import Campaign, CampaignContact, Customer


@dataclass(frozen=True)
class PendingNudge:
    contact_id: int
    customer_name: str
    offer_id: str
    offer_kind: str
    code: str
    valid_until: date


def pending_nudge(session: Session, external_id: str, today: date) -> Optional[PendingNudge]:
    """The newest pending widget offer of this customer from an active campaign, still valid; holdout contacts
    are never pending, erased customers never get one."""
    row = session.execute(
        select(CampaignContact.id, Customer.name, CampaignContact.offer_id, CampaignContact.offer_kind,
               CampaignContact.code, CampaignContact.valid_until)
        .join(Customer, Customer.id == CampaignContact.customer_id)
        .join(Campaign, Campaign.id == CampaignContact.campaign_id)
        .where(Customer.external_id == external_id, Customer.erased_at.is_(None), Campaign.status == "active",
               CampaignContact.channel == "widget", CampaignContact.arm == "treatment", CampaignContact.status == "pending",
               CampaignContact.code.is_not(None), CampaignContact.valid_until >= today)
        .order_by(CampaignContact.created_at.desc(), CampaignContact.id.desc())
        .limit(1)
    ).first()
    return PendingNudge(*row) if row else None


def mark_nudge_shown(session: Session, contact_id: int, now: datetime) -> bool:
    """Pending -> shown, once: of two tabs asking at the same moment only one gets True."""
    result = session.execute(
        update(CampaignContact)
        .where(CampaignContact.id == contact_id, CampaignContact.status == "pending")
        .values(status="shown", sent_at=now)
    )
    return result.rowcount == 1
