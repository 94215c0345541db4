"""Campaign runs: the preview of what a campaign would do today, the run that does it, and the nightly run of
every active campaign.

A run selects and decides first (outreach.campaign_selection, nothing written), then writes in batches, most
valuable customers first. Each batch waits for any other campaign run's batch to finish (one writer at a time),
re-reads the day's spend and its customers' last offers, and writes each contact once
(kizuna.db.campaigns.add_contacts_once): a second run the same day, even at the same moment, finds them and
sends nothing twice, and a customer another campaign (or the chat) chose meanwhile, in either arm, is skipped
for the cool-down. A treated contact gets its code and, by e-mail, a queued message that leaves at once or
at the end of the quiet hours; a holdout contact gets neither. Each treated customer is reported to the shop's
webhooks (customer.at_risk, then offer.issued); a holdout customer never is, lest the shop's tools reach out to
them. A run that fails keeps the batches it wrote;
running it again finishes the rest.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any, Optional
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from kizuna.db import campaigns as repository
from kizuna.db.campaigns import CampaignNotFound
from kizuna.db.models import Campaign, CampaignContact, Customer
from kizuna.db.retention_records import last_offers_since
from kizuna.db.webhooks import enqueue_event, list_endpoints
from kizuna.settings import Settings
from outreach.campaign_email import queue_offer_email
from outreach.campaign_fields import DEFAULT_DAILY_BUDGET, DEFAULT_HOLDOUT_SHARE, checked_fields
from outreach.campaign_selection import Choice, Plan, Selection, holdout_salt, select, summarize, summary_of
from retention.campaign_rule import RuleError, parse_rule
from retention.policy import load_policy
from retention.quiet_hours import local_day, quiet_until, send_not_before

BATCH_SIZE = 200
PREVIEW_SALT = "campaign-preview"  # an unsaved campaign's holdout is an estimate: the saved one draws with its id

log = logging.getLogger(__name__)


class CampaignNotRunnable(ValueError):
    """Only an approved (active) campaign runs."""


def preview_campaign(session: Session, settings: Settings, rule: dict, *, channel: str = "email",
                     offer_ids: Optional[list[str]] = None, holdout_share: float = DEFAULT_HOLDOUT_SHARE,
                     daily_budget: float = DEFAULT_DAILY_BUDGET,
                     now: datetime, campaign_id: Optional[int] = None) -> dict[str, Any]:
    """What a campaign with these settings would do if it ran now; writes nothing. With the campaign's id, its
    own holdout and what it already did today count. RuleError (or CampaignError) on a bad setting."""
    fields = checked_fields(settings, rule=rule, channel=channel, offer_ids=offer_ids, holdout_share=holdout_share,
                            daily_budget=daily_budget)
    plan = _plan(fields, campaign_id)
    summary = summarize(select(session, settings, plan, now))
    return {**summary, "channel": plan.channel, "rule": fields["rule"], "send_after": _send_after(settings, plan, now)}


def run_campaign(session_factory: sessionmaker, settings: Settings, campaign_id: int, *, now: datetime,
                 trigger: str, started_by: str) -> dict[str, Any]:
    """Run an active campaign now; the summary is also stored on its CampaignRun. CampaignNotFound,
    CampaignNotRunnable (not approved) or RuleError (a rule saved before a stricter check) before anything starts."""
    with session_factory() as session, session.begin():
        campaign = repository.get_campaign(session, campaign_id)
        if campaign is None:
            raise CampaignNotFound(f"no campaign with id {campaign_id}")
        if campaign.status != "active":
            raise CampaignNotRunnable(f"campaign {campaign.name!r} is {campaign.status}: approve it before it runs")
        plan = _plan_of(campaign)
        if plan.channel == "email":
            _check_links_reach_customers(settings)
        name = campaign.name
        run_id = repository.start_run(session, campaign_id, _local_day(settings, now), trigger, started_by, now).id
    writer = _Writer(settings, plan, name, run_id, now)
    try:
        with session_factory() as session:
            selection = select(session, settings, plan, now)
        writer.write(session_factory, selection)
        summary = {**writer.summary(selection), "campaign_id": campaign_id, "campaign": name, "run_id": run_id,
                   "status": writer.status, "send_after": _send_after(settings, plan, now)}
    except Exception as error:
        with session_factory() as session, session.begin():
            repository.finish_run(session, run_id, writer.progress(), now, error=f"{type(error).__name__}: {error}")
        raise
    with session_factory() as session, session.begin():
        repository.finish_run(session, run_id, summary, now)
    return summary


def _check_links_reach_customers(settings: Settings) -> None:
    """Campaign e-mail carries signed links (unsubscribe above all) that must work from the customer's inbox."""
    if not settings.effective_link_secret:
        raise CampaignNotRunnable("campaign e-mail needs a link secret for its unsubscribe links: "
                                  "set KIZUNA_LINK_SECRET or run `kizuna setup`")
    if _on_this_machine(settings.smtp_host or "127.0.0.1"):
        return  # a local mail catcher or relay: trying it out
    public_host = urlsplit(settings.effective_public_url).hostname or ""
    if _on_this_machine(public_host):
        raise CampaignNotRunnable(f"the links in campaign e-mail would point at {settings.effective_public_url}, which "
                                  "customers cannot reach: set KIZUNA_PUBLIC_URL to the console's public address")


def _on_this_machine(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def run_active_campaigns(session_factory: sessionmaker, settings: Settings, *, now: datetime,
                         trigger: str = "schedule", started_by: str = "schedule") -> list[dict[str, Any]]:
    """Run every active campaign (the nightly cron); one that fails is reported and the others still run."""
    with session_factory() as session:
        active = [(campaign.id, campaign.name) for campaign in repository.list_campaigns(session, status="active")]
    results = []
    for campaign_id, name in active:
        try:
            results.append(run_campaign(session_factory, settings, campaign_id, now=now, trigger=trigger,
                                        started_by=started_by))
        except Exception as error:
            if isinstance(error, (CampaignNotRunnable, RuleError)):
                log.warning("campaign %s did not run: %s", name, error)
            else:
                log.exception("campaign %s failed", name)
            results.append({"campaign_id": campaign_id, "campaign": name, "status": "failed",
                            "error": f"{type(error).__name__}: {error}"})
    return results


class _Writer:
    """Writes a selection's contacts in batches and counts what became of each chosen customer."""

    def __init__(self, settings: Settings, plan: Plan, campaign_name: str, run_id: int, now: datetime) -> None:
        self.settings, self.plan, self.campaign_name, self.run_id, self.now = settings, plan, campaign_name, run_id, now
        self.policy = load_policy(settings.retention_policy_path)
        self.not_before = send_not_before(now, self.policy)
        self.written: list[Choice] = []
        self.skipped: Counter = Counter()
        self.emails = 0
        self.status = "done"
        self.subscribed: set[str] = set()  # the event types an active endpoint wants, read per batch

    def write(self, session_factory: sessionmaker, selection: Selection) -> None:
        self.skipped.update(choice.decision.reason for choice in selection.choices if choice.decision.action == "skip")
        chosen = selection.selected
        for start in range(0, len(chosen), BATCH_SIZE):
            committed = (len(self.written), self.emails, Counter(self.skipped))
            try:
                with session_factory() as session, session.begin():
                    if not self._write_batch(session, selection, chosen[start:start + BATCH_SIZE]):
                        self.skipped["campaign_paused"] += len(chosen) - start
                        self.status = "stopped"
                        return
            except Exception:
                self.written, self.emails, self.skipped = self.written[:committed[0]], committed[1], committed[2]
                raise

    def _write_batch(self, session: Session, selection: Selection, batch: list[Choice]) -> bool:
        repository.lock_all_runs(session)
        repository.note_progress(session, self.run_id, self.progress())
        if repository.lock_campaign(session, self.plan.campaign_id).status != "active":
            return False
        spent = repository.spent_on(session, self.plan.campaign_id, selection.day)
        ids = [choice.candidate.customer_id for choice in batch]
        customers = repository.customers_by_id(session, ids)
        already = repository.contacted_on(session, self.plan.campaign_id, selection.day, ids)
        offered = last_offers_since(session, self.now - timedelta(days=self.policy.offer_cooldown_days), ids)
        self.subscribed = {event for endpoint in list_endpoints(session) for event in endpoint.events}
        kept = []
        for choice in batch:
            customer_id = choice.candidate.customer_id
            reason = ("already_contacted" if customer_id in already else
                      self._obstacle(customers.get(customer_id), offered.get(customer_id), choice.decision.offer.cost, spent))
            if reason is not None:
                self.skipped[reason] += 1
                continue
            kept.append(choice)
            spent += choice.decision.offer.cost if choice.decision.action == "contact" else 0.0
        added = repository.add_contacts_once(session, [self._contact(selection, choice) for choice in kept])
        for choice in kept:
            contact = added.get(choice.candidate.customer_id)
            if contact is None:
                self.skipped["already_contacted"] += 1
            else:
                self._follow_up(session, choice, contact, customers[choice.candidate.customer_id])
        return True

    def _follow_up(self, session: Session, choice: Choice, contact: CampaignContact, customer: Customer) -> None:
        """The e-mail of a treated contact and the webhook events of a written one."""
        self.written.append(choice)
        if contact.arm == "treatment" and self.plan.channel == "email":
            queue_offer_email(session, self.settings, contact, customer, choice.decision.offer, not_before=self.not_before)
            self.emails += 1
        self._report(session, contact, customer)

    def _obstacle(self, customer: Optional[Customer], last_offer_at: Optional[datetime], cost: float,
                  spent: float) -> Optional[str]:
        """What changed since the selection: erased, consent withdrawn, an offer in the chat or a contact of
        another campaign (either arm) since, another run spent the budget."""
        if customer is None or customer.erased_at is not None:
            return "erased"
        if self.plan.channel == "email" and not repository.mailable(customer):
            return "no_consent"
        if last_offer_at is not None and self.now - last_offer_at < timedelta(days=self.policy.offer_cooldown_days):
            return "cooldown"
        if spent + cost > self.plan.daily_budget:
            return "budget"
        return None

    def _contact(self, selection: Selection, choice: Choice) -> dict[str, Any]:
        """The contact's columns (its code is drawn as it is written)."""
        decision, candidate = choice.decision, choice.candidate
        treated = decision.action == "contact"
        status = ("queued" if self.plan.channel == "email" else "pending") if treated else "held_out"
        return dict(
            campaign_id=self.plan.campaign_id, run_id=self.run_id, customer_id=candidate.customer_id,
            contact_day=selection.day, arm="treatment" if treated else "holdout", channel=self.plan.channel,
            status=status, offer_id=decision.offer.id, offer_kind=decision.offer.kind,
            cost=decision.offer.cost if treated else 0.0, expected_gain=round(decision.expected_gain or 0.0, 4),
            churn_probability=candidate.churn_probability, value_12m=candidate.value_12m,
            tier=candidate.tier or "regular", segment=candidate.segment or "steady",
            valid_until=selection.day + timedelta(days=decision.offer.valid_days) if treated else None,
            created_at=self.now)

    def _report(self, session: Session, contact: CampaignContact, customer: Customer) -> None:
        campaign = {"id": self.plan.campaign_id, "name": self.campaign_name}
        if contact.arm != "treatment":
            return  # a shop tool told of a held-out customer could act on it and spoil the comparison
        if "customer.at_risk" in self.subscribed:
            enqueue_event(session, "customer.at_risk", {
                "campaign": campaign, "arm": contact.arm, "customer_external_id": customer.external_id,
                "churn_probability": contact.churn_probability, "tier": contact.tier, "segment": contact.segment,
                "offer_id": contact.offer_id}, self.now)
        if "offer.issued" in self.subscribed:
            enqueue_event(session, "offer.issued", {
                "source": "campaign", "campaign": campaign, "customer_external_id": customer.external_id,
                "channel": contact.channel, "offer_id": contact.offer_id, "kind": contact.offer_kind,
                "code": contact.code, "valid_until": contact.valid_until.isoformat()}, self.now)

    def summary(self, selection: Selection) -> dict[str, Any]:
        summary = summary_of(selection, self.written, Counter(self.skipped))
        treated = summary["treatment"]
        return {**summary, "emails_queued": self.emails,
                "widget_pending": treated if self.plan.channel == "widget" else 0}

    def progress(self) -> dict[str, Any]:
        return {"written": len(self.written), "emails_queued": self.emails, "skipped": dict(self.skipped)}


def _plan_of(campaign: Campaign) -> Plan:
    return Plan(rule=parse_rule(campaign.rule), channel=campaign.channel, offer_ids=campaign.offer_ids,
                holdout_share=campaign.holdout_share, daily_budget=campaign.daily_budget,
                holdout_salt=holdout_salt(campaign.id), campaign_id=campaign.id)


def _plan(fields: dict[str, Any], campaign_id: Optional[int]) -> Plan:
    return Plan(rule=parse_rule(fields["rule"]), channel=fields["channel"], offer_ids=fields["offer_ids"],
                holdout_share=fields["holdout_share"], daily_budget=fields["daily_budget"],
                holdout_salt=holdout_salt(campaign_id) if campaign_id is not None else PREVIEW_SALT,
                campaign_id=campaign_id)


def _local_day(settings: Settings, now: datetime) -> date:
    return local_day(now, load_policy(settings.retention_policy_path))


def _send_after(settings: Settings, plan: Plan, now: datetime) -> Optional[str]:
    """When the run's e-mail leaves, if the quiet hours hold it back."""
    if plan.channel != "email":
        return None
    until = quiet_until(now, load_policy(settings.retention_policy_path))
    return until.isoformat() if until else None
