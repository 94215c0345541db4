"""Campaigns, their runs and contacts: saving and approving a campaign, the customers its rule selects, a
contact written once per campaign, customer and day (a second attempt is skipped, never doubled)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Optional

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kizuna.db.marketing_consent import consent_problem, consent_problem_of
from kizuna.db.models import CAMPAIGN_DAILY_BUDGET, CAMPAIGN_HOLDOUT_SHARE, Campaign, CampaignContact, CampaignRun, Customer, CustomerScore, Order
from kizuna.db.retention_records import new_offer_code

CHANNELS = ("email", "widget")
EDITABLE = ("description", "rule", "channel", "offer_ids", "holdout_share", "daily_budget")
NOT_PURCHASES = ("cancelled", "returned")  # order statuses that are no purchase: for audiences and results alike
RUNS_LOCK_KEY = 7_316_402_551  # PostgreSQL advisory lock taken by every campaign run's batch


class CampaignNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Candidate:
    """A customer a campaign's rule selects, with what the decision and the channel need."""

    customer_id: int
    external_id: str
    email: Optional[str]
    marketing_opt_in: bool
    unsubscribed: bool
    churn_probability: Optional[float]
    value_12m: Optional[float]
    tier: Optional[str]
    segment: Optional[str]
    orders: int
    last_order_at: Optional[datetime]

    @property
    def mailable(self) -> bool:
        return consent_problem_of(opt_in=self.marketing_opt_in, unsubscribed=self.unsubscribed, email=self.email) is None


def mailable(customer: Customer) -> bool:
    """Consent to marketing e-mail, not withdrawn, an address to send it to, and not erased."""
    return consent_problem(customer) is None


def create_campaign(session: Session, *, name: str, rule: dict[str, Any], created_by: str, channel: str = "email",
                    offer_ids: Optional[list[str]] = None, holdout_share: float = CAMPAIGN_HOLDOUT_SHARE,
                    daily_budget: float = CAMPAIGN_DAILY_BUDGET,
                    description: Optional[str] = None, now: Optional[datetime] = None) -> Campaign:
    """A draft campaign (the rule checked by the caller, retention.campaign_rule); ValueError on a taken name."""
    if get_campaign(session, name) is not None:
        raise ValueError(f"a campaign named {name!r} exists already")
    campaign = Campaign(name=name, description=description, rule=rule, channel=channel, offer_ids=offer_ids,
                        holdout_share=holdout_share, daily_budget=daily_budget, status="draft", created_by=created_by)
    if now is not None:
        campaign.created_at = campaign.updated_at = now
    session.add(campaign)
    session.flush()
    return campaign


def update_campaign(session: Session, campaign_id: int, **changes: Any) -> Campaign:
    """Change what a campaign does; an active campaign goes back to draft, to be approved again."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValueError(f"cannot change {', '.join(unknown)} of a campaign")
    campaign = _required(session, campaign_id)
    changed = {key for key, value in changes.items() if getattr(campaign, key) != value}
    for key in changed:
        setattr(campaign, key, changes[key])
    if campaign.status == "active" and changed - {"description"}:
        campaign.status, campaign.approved_by, campaign.approved_at = "draft", None, None
    session.flush()
    return campaign


def get_campaign(session: Session, key: int | str) -> Optional[Campaign]:
    """By id (an int) or by name (a str)."""
    if isinstance(key, int):
        return session.get(Campaign, key)
    return session.scalars(select(Campaign).where(Campaign.name == key)).first()


def list_campaigns(session: Session, status: Optional[str] = None) -> list[Campaign]:
    query = select(Campaign).order_by(Campaign.name)
    if status is not None:
        query = query.where(Campaign.status == status)
    return list(session.scalars(query))


def approve_campaign(session: Session, campaign_id: int, approved_by: str, now: datetime) -> Campaign:
    campaign = _required(session, campaign_id)
    campaign.status, campaign.approved_by, campaign.approved_at = "active", approved_by, now
    session.flush()
    return campaign


def pause_campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = _required(session, campaign_id)
    campaign.status = "paused"
    session.flush()
    return campaign


def campaign_runs(session: Session, campaign_id: int, limit: int = 50) -> list[CampaignRun]:
    """The campaign's runs, newest first."""
    return list(session.scalars(select(CampaignRun).where(CampaignRun.campaign_id == campaign_id)
                                .order_by(CampaignRun.started_at.desc(), CampaignRun.id.desc()).limit(limit)))


def lock_campaign(session: Session, campaign_id: int) -> Campaign:
    """The campaign, locked until the transaction ends (PostgreSQL: runs of one campaign write one at a time;
    SQLite has a single writer anyway)."""
    campaign = session.scalars(select(Campaign).where(Campaign.id == campaign_id).with_for_update()).first()
    if campaign is None:
        raise CampaignNotFound(f"no campaign with id {campaign_id}")
    return campaign


def lock_all_runs(session: Session) -> None:
    """Until the transaction ends, no other campaign run (of any campaign) writes: the cool-down read next is
    current. PostgreSQL: an advisory lock; SQLite has a single writer, taken by the batch's first write
    (note_progress), so nothing more is needed there."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RUNS_LOCK_KEY})


def start_run(session: Session, campaign_id: int, run_day: date, trigger: str, started_by: str, now: datetime) -> CampaignRun:
    run = CampaignRun(campaign_id=campaign_id, run_day=run_day, trigger=trigger, started_by=started_by,
                      status="running", started_at=now)
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run_id: int, summary: dict[str, Any], now: datetime, error: Optional[str] = None) -> None:
    run = session.get(CampaignRun, run_id)
    run.summary, run.finished_at = summary, now
    run.status, run.error = ("failed", error) if error else ("done", None)


def audience_candidates(session: Session, *, now: datetime, min_churn_probability: Optional[float] = None,
                        max_churn_probability: Optional[float] = None, tiers: Optional[Iterable[str]] = None,
                        segments: Optional[Iterable[str]] = None, min_days_since_order: Optional[int] = None,
                        max_days_since_order: Optional[int] = None, min_value_12m: Optional[float] = None,
                        min_orders: Optional[int] = None) -> list[Candidate]:
    """The customers a rule selects, by id. Erased customers never; orders count unless cancelled or returned;
    the days since the last order need an order (a customer who never ordered has not drifted away)."""
    orders = (select(Order.customer_id, func.count(Order.id).label("orders"), func.max(Order.placed_at).label("last_order_at"))
              .where(Order.status.not_in(NOT_PURCHASES)).group_by(Order.customer_id).subquery())
    order_count = func.coalesce(orders.c.orders, 0)
    query = (select(Customer.id, Customer.external_id, Customer.email, Customer.marketing_opt_in,
                    Customer.unsubscribed_at.is_not(None), CustomerScore.churn_probability,
                    CustomerScore.predicted_value_12m, CustomerScore.tier, CustomerScore.segment,
                    order_count, orders.c.last_order_at)
             .outerjoin(CustomerScore, CustomerScore.customer_id == Customer.id)
             .outerjoin(orders, orders.c.customer_id == Customer.id)
             .where(Customer.erased_at.is_(None)).order_by(Customer.id))
    conditions = (
        (min_churn_probability, lambda: CustomerScore.churn_probability >= min_churn_probability),
        (max_churn_probability, lambda: CustomerScore.churn_probability <= max_churn_probability),
        (tiers, lambda: CustomerScore.tier.in_(sorted(tiers))),
        (segments, lambda: CustomerScore.segment.in_(sorted(segments))),
        (min_days_since_order, lambda: orders.c.last_order_at <= now - timedelta(days=min_days_since_order)),
        (max_days_since_order, lambda: orders.c.last_order_at >= now - timedelta(days=max_days_since_order)),
        (min_value_12m, lambda: CustomerScore.predicted_value_12m >= min_value_12m),
        (min_orders, lambda: order_count >= min_orders),
    )
    for value, condition in conditions:
        if value is not None:
            query = query.where(condition())
    return [Candidate(customer_id, external_id, email, bool(opt_in), bool(unsubscribed), churn, value, tier, segment,
                      int(count), last_order_at)
            for (customer_id, external_id, email, opt_in, unsubscribed, churn, value, tier, segment, count, last_order_at)
            in session.execute(query)]


def customers_by_id(session: Session, customer_ids: Iterable[int]) -> dict[int, Customer]:
    return {customer.id: customer for customer in session.scalars(select(Customer).where(Customer.id.in_(list(customer_ids))))}


def note_progress(session: Session, run_id: int, progress: dict[str, Any]) -> None:
    """A running run's counts so far; also, on SQLite, takes the database's write lock before the batch reads."""
    session.execute(update(CampaignRun).where(CampaignRun.id == run_id).values(summary=progress))


def contacted_on(session: Session, campaign_id: int, day: date, customer_ids: Optional[Iterable[int]] = None) -> set[int]:
    """The customers (of `customer_ids`, or all) the campaign already chose on that day (either arm)."""
    query = select(CampaignContact.customer_id).where(CampaignContact.campaign_id == campaign_id,
                                                      CampaignContact.contact_day == day)
    if customer_ids is not None:
        query = query.where(CampaignContact.customer_id.in_(list(customer_ids)))
    return set(session.scalars(query))


def spent_on(session: Session, campaign_id: int, day: date) -> float:
    """What the campaign's treated contacts of that day cost."""
    return float(session.scalar(select(func.coalesce(func.sum(CampaignContact.cost), 0.0)).where(
        CampaignContact.campaign_id == campaign_id, CampaignContact.contact_day == day,
        CampaignContact.arm == "treatment")) or 0.0)


def add_contacts_once(session: Session, rows: list[dict[str, Any]]) -> dict[int, CampaignContact]:
    """Insert the contacts (column values), skipping any the campaign already has for that customer and day, e.g.
    written by a concurrent run: the added ones, by customer id. Treated contacts get fresh codes, drawn again on
    a (rare) clash with an existing code."""
    if not rows:
        return {}
    for _ in range(5):
        for row in rows:
            row["code"] = new_offer_code() if row["arm"] == "treatment" else None
        statement = (_dialect_insert(session)(CampaignContact)
                     .on_conflict_do_nothing(index_elements=["campaign_id", "customer_id", "contact_day"])
                     .returning(CampaignContact.id))
        try:
            with session.begin_nested():  # a code clash undoes this insert only
                added = list(session.scalars(statement, rows))
            break
        except IntegrityError:
            continue
    else:
        raise RuntimeError("could not issue unique offer codes")
    contacts = session.scalars(select(CampaignContact).where(CampaignContact.id.in_(added)))
    return {contact.customer_id: contact for contact in contacts}


def _dialect_insert(session: Session):
    """INSERT ... ON CONFLICT for the database in use (SQLite and PostgreSQL spell it alike)."""
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _required(session: Session, campaign_id: int) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise CampaignNotFound(f"no campaign with id {campaign_id}")
    return campaign
