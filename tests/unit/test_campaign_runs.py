"""Campaign runs on a real database (SQLite always, PostgreSQL when reachable, required on CI): who the rule
selects, the preview, the run's contacts, e-mail and webhook events, the holdout, consent, erasure, the budget,
the quiet hours, the cool-down shared with the chat, and a re-run or two runs at once sending nothing twice."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Optional

import pytest
from sqlalchemy import func, select

from kizuna.db import campaigns as repository
from kizuna.db import retention_records
from kizuna.db.engine import session_factory
from kizuna.db.models import (Campaign, CampaignContact, CampaignRun, Customer, CustomerScore, IssuedOffer, Order, OutboundEmail,
                              RetentionDecision, TurnAnalysis, WebhookDelivery, WebhookEndpoint)
from kizuna.settings import Settings, get_settings
from outreach import campaign_runs
from outreach.campaign_fields import CampaignError
from outreach.campaign_runs import CampaignNotRunnable, preview_campaign, run_active_campaigns, run_campaign
from outreach.campaign_selection import holdout_salt
from retention.campaign_rule import RuleError
from retention.control_group import in_control_group
from retention.policy import load_policy
from turn_core.retention_step import decide_for_turn

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)  # 11:00 in Berlin: outside the quiet hours
RULE = {"min_churn_probability": 0.6, "min_tier": "silver", "min_days_since_order": 45}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(var_dir=tmp_path / "var", database_url=database_url, link_secret="link-secret-for-tests",
                    public_url="https://kizuna.example")


@pytest.fixture
def sessions(settings: Settings):
    return session_factory(settings.effective_database_url)


def shopper(session, external_id: str, *, churn: Optional[float] = 0.8, value: float = 320.0, tier: str = "silver",
            segment: str = "steady", days_since_order: Optional[int] = 60, orders: int = 3, opt_in: bool = True,
            email: Optional[str] = "", unsubscribed: bool = False, erased: bool = False, scored: bool = True) -> Customer:
    customer = Customer(external_id=external_id, name=f"Customer {external_id}",
                        email=f"{external_id.lower()}@example.test" if email == "" else email, marketing_opt_in=opt_in,
                        unsubscribed_at=NOW - timedelta(days=3) if unsubscribed else None,
                        erased_at=NOW - timedelta(days=1) if erased else None, created_at=NOW - timedelta(days=700))
    session.add(customer)
    session.flush()
    if scored:
        session.add(CustomerScore(customer_id=customer.id, churn_probability=churn, predicted_value_12m=value,
                                  tier=tier, segment=segment, scored_at=NOW))
    if days_since_order is not None:
        for number in range(orders):
            session.add(Order(order_number=f"{external_id}-{number}", customer_id=customer.id, status="delivered",
                              total=Decimal("40.00"), placed_at=NOW - timedelta(days=days_since_order + 30 * number)))
    session.flush()
    return customer


def crowd(sessions, count: int, prefix: str = "C") -> list[str]:
    """`count` customers the default rule selects, all with consent; their external ids."""
    with sessions.begin() as session:
        return [shopper(session, f"{prefix}{number:04d}").external_id for number in range(count)]


def campaign(sessions, name: str = "win-back", rule: Optional[dict] = None, status: str = "active", **fields) -> int:
    with sessions.begin() as session:
        saved = repository.create_campaign(session, name=name, rule=rule or RULE, created_by="admin", **fields)
        if status == "active":
            repository.approve_campaign(session, saved.id, "admin", NOW)
        return saved.id


def subscribe_all_events(sessions) -> None:
    with sessions.begin() as session:
        session.add(WebhookEndpoint(url="http://127.0.0.1:9/hook", secret="s" * 32, events=["customer.at_risk", "offer.issued"],
                                    created_by="admin"))


def run(sessions, settings, campaign_id: int, now: datetime = NOW) -> dict:
    return run_campaign(sessions, settings, campaign_id, now=now, trigger="cli", started_by="admin")


def rows(sessions, model, *where) -> list:
    with sessions() as session:
        return list(session.scalars(select(model).where(*where)))


def count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def in_holdout(external_id: str, campaign_id: int, share: float = 0.1) -> bool:
    return in_control_group(external_id, share, holdout_salt(campaign_id))


# --- who the rule selects ------------------------------------------------------------------------------------


def test_the_rule_selects_by_scores_and_orders_and_never_an_erased_customer(sessions, settings):
    with sessions.begin() as session:
        shopper(session, "FIT")
        shopper(session, "VIP", tier="vip", value=900.0, segment="loyal")
        shopper(session, "LOW-RISK", churn=0.4)
        shopper(session, "REGULAR", tier="regular")
        shopper(session, "RECENT", days_since_order=10)
        shopper(session, "NEVER-ORDERED", days_since_order=None)
        shopper(session, "ERASED", erased=True, email=None)
        shopper(session, "UNSCORED", scored=False)
        for status in ("cancelled", "returned"):
            undone = shopper(session, f"{status.upper()}-ONLY", orders=1)
            session.query(Order).filter(Order.customer_id == undone.id).update({"status": status})
    with sessions() as session:
        candidates = repository.audience_candidates(session, now=NOW, min_churn_probability=0.6, tiers={"silver", "vip"},
                                                    min_days_since_order=45)
        assert sorted(candidate.external_id for candidate in candidates) == ["FIT", "VIP"]
        by_orders = repository.audience_candidates(session, now=NOW, min_orders=3, max_days_since_order=90)
        assert "UNSCORED" in {c.external_id for c in by_orders}
        ordered_lately = {c.external_id for c in repository.audience_candidates(session, now=NOW, max_days_since_order=90)}
        assert "FIT" in ordered_lately and not {"CANCELLED-ONLY", "RETURNED-ONLY"} & ordered_lately  # no purchase
        assert "ERASED" not in {c.external_id for c in repository.audience_candidates(session, now=NOW, min_orders=0)}
        by_segment = repository.audience_candidates(session, now=NOW, segments={"loyal"}, min_value_12m=500)
        assert [candidate.external_id for candidate in by_segment] == ["VIP"]


def test_the_preview_counts_each_arm_and_each_reason_and_writes_nothing(sessions, settings):
    ids = crowd(sessions, 30)
    with sessions.begin() as session:
        shopper(session, "NO-CONSENT", opt_in=False)
        shopper(session, "UNSUBSCRIBED", unsubscribed=True)
        shopper(session, "NO-ADDRESS", email=None)
        shopper(session, "SMALL", value=25.0)  # the best offer would cost more than it saves
        shopper(session, "ON-THE-FENCE", churn=0.3)
    with sessions() as session:
        preview = preview_campaign(session, settings, {"min_churn_probability": 0.2, "min_days_since_order": 45},
                                   holdout_share=0.1, now=NOW)
    holdout = sum(in_control_group(external_id, 0.1, "campaign-preview") for external_id in ids)
    assert preview["audience"] == 35
    assert (preview["treatment"], preview["holdout"]) == (30 - holdout, holdout)
    assert preview["skipped"] == {"no_consent": 3, "low_gain": 1, "churn_risk_low": 1}
    assert preview["by_tier"] == {"silver": 30} and preview["by_segment"] == {"steady": 30} and preview["by_offer"] == {"save10": 30}
    assert preview["expected_cost"] == round(6.0 * (30 - holdout), 2)
    assert preview["expected_gain"] == pytest.approx(14.48 * (30 - holdout), abs=0.01)
    assert preview["send_after"] is None and preview["rule"] == {"min_churn_probability": 0.2, "min_days_since_order": 45}
    assert count(sessions, CampaignContact) == count(sessions, OutboundEmail) == count(sessions, CampaignRun) == 0


def test_the_preview_refuses_a_bad_rule_or_setting_with_a_message(sessions, settings):
    with sessions() as session:
        with pytest.raises(RuleError, match="min_tier"):
            preview_campaign(session, settings, {"min_tier": "gold"}, now=NOW)
        with pytest.raises(RuleError, match="at least one key"):
            preview_campaign(session, settings, {}, now=NOW)
        with pytest.raises(RuleError, match="unknown segment.s. drifter; the customer scores use deal_seeker"):
            preview_campaign(session, settings, {"segments": ["steady", "drifter"]}, now=NOW)
        with pytest.raises(CampaignError, match="offer_ids"):
            preview_campaign(session, settings, RULE, offer_ids=["save99"], now=NOW)
        with pytest.raises(CampaignError, match="channel"):
            preview_campaign(session, settings, RULE, channel="sms", now=NOW)
        with pytest.raises(CampaignError, match="holdout_share"):
            preview_campaign(session, settings, RULE, holdout_share=0.9, now=NOW)


# --- a run ---------------------------------------------------------------------------------------------------


def test_a_run_queues_one_email_per_treated_customer_and_holds_the_holdout_back(sessions, settings):
    ids = crowd(sessions, 40)
    subscribe_all_events(sessions)
    campaign_id = campaign(sessions)

    summary = run(sessions, settings, campaign_id)

    held = {external_id for external_id in ids if in_holdout(external_id, campaign_id)}
    assert 0 < len(held) < 40
    assert (summary["treatment"], summary["holdout"], summary["emails_queued"]) == (40 - len(held), len(held), 40 - len(held))
    assert summary["status"] == "done" and summary["day"] == "2026-12-07" and summary["send_after"] is None
    contacts = rows(sessions, CampaignContact)
    with sessions() as session:
        external = {customer.id: customer.external_id for customer in session.scalars(select(Customer))}
    for contact in contacts:
        if external[contact.customer_id] in held:
            assert (contact.arm, contact.status, contact.code, contact.valid_until, contact.cost) == ("holdout", "held_out", None, None, 0.0)
        else:
            assert (contact.arm, contact.status, contact.offer_id) == ("treatment", "queued", "save10")
            assert contact.code.startswith("KZ-") and len(contact.code) == 11
            assert contact.valid_until == date(2027, 1, 6) and contact.cost == 6.0
    assert len({contact.code for contact in contacts if contact.code}) == 40 - len(held)
    emails = rows(sessions, OutboundEmail)
    treated = {contact.id: contact for contact in contacts if contact.arm == "treatment"}
    assert sorted(email.contact_id for email in emails) == sorted(treated)
    for email in emails:
        contact = treated[email.contact_id]
        assert email.status == "queued" and email.to_address == f"{external[contact.customer_id].lower()}@example.test"
        assert contact.code in email.text_body and _utc(email.next_attempt_at) == NOW
    stored = rows(sessions, CampaignRun)[0]
    assert (stored.status, stored.trigger, stored.started_by, stored.summary["treatment"]) == ("done", "cli", "admin", 40 - len(held))


def test_each_treated_customer_is_reported_at_risk_with_the_offer_issued_and_no_holdout_customer_is(sessions, settings):
    ids = crowd(sessions, 20)
    subscribe_all_events(sessions)
    campaign_id = campaign(sessions, holdout_share=0.3)
    summary = run(sessions, settings, campaign_id)

    deliveries = rows(sessions, WebhookDelivery)
    at_risk = [d.payload["data"] for d in deliveries if d.event_type == "customer.at_risk"]
    issued = [d.payload["data"] for d in deliveries if d.event_type == "offer.issued"]
    held = {external_id for external_id in ids if in_holdout(external_id, campaign_id, 0.3)}
    assert held and summary["holdout"] == len(held)
    assert sorted(data["customer_external_id"] for data in at_risk) == sorted(set(ids) - held)
    assert {data["arm"] for data in at_risk} == {"treatment"}
    assert {data["customer_external_id"] for data in issued} == set(ids) - held
    assert all(data["campaign"] == {"id": campaign_id, "name": "win-back"} for data in at_risk + issued)
    assert len(issued) == summary["treatment"] and all(data["source"] == "campaign" for data in issued)
    codes = {contact.code for contact in rows(sessions, CampaignContact) if contact.code}
    assert {data["code"] for data in issued} == codes
    for delivery in deliveries:
        text = str(delivery.payload)
        assert "Customer " not in text and "@example.test" not in text


def test_a_rerun_the_same_day_creates_nothing_and_sends_nothing_twice(sessions, settings):
    crowd(sessions, 25)
    campaign_id = campaign(sessions)
    first = run(sessions, settings, campaign_id)
    contacts, emails = count(sessions, CampaignContact), count(sessions, OutboundEmail)

    again = run(sessions, settings, campaign_id, now=NOW + timedelta(hours=3))

    assert (again["treatment"], again["holdout"], again["emails_queued"]) == (0, 0, 0)
    assert again["already_contacted"] == first["treatment"] + first["holdout"] == 25
    assert (count(sessions, CampaignContact), count(sessions, OutboundEmail)) == (contacts, emails)
    assert count(sessions, CampaignRun) == 2


def test_two_runs_at_the_same_moment_write_each_contact_once(sessions, settings):
    crowd(sessions, 120)
    campaign_id = campaign(sessions, daily_budget=10_000.0)
    results, errors = [], []
    start = threading.Barrier(2)

    def one_run() -> None:
        try:
            start.wait()
            results.append(run(sessions, settings, campaign_id))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    contacts = rows(sessions, CampaignContact)
    assert len(contacts) == 120 == len({contact.customer_id for contact in contacts})
    treated = [contact for contact in contacts if contact.arm == "treatment"]
    assert count(sessions, OutboundEmail) == len(treated) == sum(result["emails_queued"] for result in results)
    assert sum(result["treatment"] + result["holdout"] for result in results) == 120


def test_the_daily_budget_caps_the_cost_of_the_treated_across_runs(sessions, settings):
    crowd(sessions, 30)
    campaign_id = campaign(sessions, daily_budget=60.0, holdout_share=0.0)  # save10 costs 6: ten a day

    first = run(sessions, settings, campaign_id)
    with sessions.begin() as session:
        shopper(session, "LATE")  # joins the audience after the first run
    second = run(sessions, settings, campaign_id, now=NOW + timedelta(hours=2))

    assert (first["treatment"], first["skipped"]["budget"], first["expected_cost"]) == (10, 20, 60.0)
    assert second["treatment"] == 0 and second["skipped"]["budget"] == 21
    with sessions() as session:
        assert repository.spent_on(session, campaign_id, NOW.date()) == 60.0
    tomorrow = run(sessions, settings, campaign_id, now=NOW + timedelta(days=1))
    assert tomorrow["treatment"] == 10 and tomorrow["skipped"]["cooldown"] == 10  # the treated cool down, a new budget


def test_the_most_valuable_customers_get_the_budget_first(sessions, settings):
    with sessions.begin() as session:
        for number, value in enumerate((200.0, 900.0, 400.0, 300.0)):
            shopper(session, f"V{number}", value=value)
    campaign_id = campaign(sessions, daily_budget=12.0, holdout_share=0.0)
    run(sessions, settings, campaign_id)
    with sessions() as session:
        chosen = session.scalars(select(Customer.external_id).join(CampaignContact, CampaignContact.customer_id == Customer.id))
        assert sorted(chosen) == ["V1", "V2"]


def test_email_goes_only_to_customers_who_consented_and_never_to_the_erased(sessions, settings):
    with sessions.begin() as session:
        shopper(session, "YES")
        shopper(session, "NO", opt_in=False)
        shopper(session, "UNSUBSCRIBED", unsubscribed=True)
        shopper(session, "NO-ADDRESS", email=None)
        shopper(session, "BLANK-ADDRESS", email="  ")
        shopper(session, "ERASED", erased=True)
    campaign_id = campaign(sessions, holdout_share=0.0)
    summary = run(sessions, settings, campaign_id)
    assert summary["treatment"] == 1 and summary["skipped"] == {"no_consent": 4}
    assert [email.to_address for email in rows(sessions, OutboundEmail)] == ["yes@example.test"]


def test_a_widget_campaign_leaves_pending_nudges_and_sends_no_email(sessions, settings):
    with sessions.begin() as session:
        shopper(session, "W1", opt_in=False)
        shopper(session, "W2")
        shopper(session, "W3", erased=True)
    campaign_id = campaign(sessions, channel="widget", holdout_share=0.0)
    summary = run(sessions, settings, campaign_id)
    contacts = rows(sessions, CampaignContact)
    assert summary["widget_pending"] == summary["treatment"] == 2 and summary["emails_queued"] == 0
    assert {(contact.channel, contact.status) for contact in contacts} == {("widget", "pending")}
    assert all(contact.code for contact in contacts) and count(sessions, OutboundEmail) == 0


def test_a_run_in_the_quiet_hours_records_its_contacts_and_mails_at_the_end_of_them(sessions, settings):
    crowd(sessions, 5)
    campaign_id = campaign(sessions, holdout_share=0.0)
    late = datetime(2026, 12, 7, 21, 30, tzinfo=timezone.utc)  # 22:30 in Berlin
    summary = run(sessions, settings, campaign_id, now=late)
    morning = datetime(2026, 12, 8, 7, 0, tzinfo=timezone.utc)  # 08:00 in Berlin
    assert summary["treatment"] == 5 and summary["send_after"] == morning.isoformat()
    assert summary["day"] == "2026-12-07"
    assert {_utc(email.next_attempt_at) for email in rows(sessions, OutboundEmail)} == {morning}


# --- the cool-down shared with the chat --------------------------------------------------------------------


def chat_offer(session, customer: Customer, at: datetime, action: str = "offer") -> None:
    turn = TurnAnalysis(conversation_id=f"chat-{customer.external_id}", turn_key="t1", customer_id=customer.id,
                        intent="complaint")
    session.add(turn)
    session.flush()
    decision = RetentionDecision(turn_analysis_id=turn.id, conversation_id=turn.conversation_id, customer_id=customer.id,
                                 action=action, offer_id="save10", explanation="at risk", created_at=at)
    session.add(decision)
    session.flush()
    if action == "offer":
        session.add(IssuedOffer(decision_id=decision.id, customer_id=customer.id, conversation_id=turn.conversation_id,
                                offer_id="save10", kind="discount", cost=6.0, offered_at=at))


def test_a_chat_offer_or_control_decision_keeps_the_customer_out_of_a_campaign(sessions, settings):
    with sessions.begin() as session:
        chat_offer(session, shopper(session, "OFFERED"), NOW - timedelta(days=5))
        chat_offer(session, shopper(session, "CONTROL"), NOW - timedelta(days=5), action="control")
        chat_offer(session, shopper(session, "LONG-AGO"), NOW - timedelta(days=40))
    campaign_id = campaign(sessions, holdout_share=0.0)
    summary = run(sessions, settings, campaign_id)
    assert summary["treatment"] == 1 and summary["skipped"] == {"cooldown": 2}


def test_a_campaign_contact_of_either_arm_cools_down_the_chat_and_other_campaigns(sessions, settings):
    ids = crowd(sessions, 30)
    first = campaign(sessions, "first", holdout_share=0.3)
    run(sessions, settings, first)
    with sessions() as session:
        for customer in session.scalars(select(Customer)):
            assert retention_records.last_offer_at(session, customer.id) == NOW
    held = [external_id for external_id in ids if in_holdout(external_id, first, 0.3)]
    assert held
    second = campaign(sessions, "second")
    summary = run(sessions, settings, second, now=NOW + timedelta(days=3))
    assert summary["treatment"] + summary["holdout"] == 0 and summary["skipped"] == {"cooldown": 30}


def contacts_by_customer(sessions) -> dict[int, list[CampaignContact]]:
    found: dict[int, list[CampaignContact]] = {}
    for contact in rows(sessions, CampaignContact):
        found.setdefault(contact.customer_id, []).append(contact)
    return found


def test_a_second_campaign_the_same_day_contacts_none_of_the_firsts_customers_in_either_arm(sessions, settings):
    crowd(sessions, 30)
    first, second = campaign(sessions, "first", holdout_share=0.3), campaign(sessions, "second", holdout_share=0.3)
    done = run(sessions, settings, first)
    later = run(sessions, settings, second, now=NOW + timedelta(hours=1))
    assert done["treatment"] > 0 and done["holdout"] > 0
    assert later["treatment"] + later["holdout"] == 0 and later["skipped"] == {"cooldown": 30}
    assert {contact.campaign_id for contact in rows(sessions, CampaignContact)} == {first}


def test_a_campaign_that_writes_while_another_decides_keeps_its_customers_from_the_other(sessions, settings):
    """The second campaign selects before the first writes anything; its batches must still see the first's
    contacts (treated or held out) and skip them for the cool-down."""
    crowd(sessions, 40)
    first, second = campaign(sessions, "first", holdout_share=0.3), campaign(sessions, "second", holdout_share=0.3)
    opened, firsts = [], []

    def first_runs_before_the_seconds_first_batch():
        opened.append(1)
        if len(opened) == 3:  # the second run's start and its selection are done
            firsts.append(run(sessions, settings, first))
        return sessions()

    summary = run_campaign(first_runs_before_the_seconds_first_batch, settings, second, now=NOW, trigger="cli",
                           started_by="admin")
    assert firsts[0]["treatment"] + firsts[0]["holdout"] == 40 and firsts[0]["holdout"] > 0
    assert summary["treatment"] + summary["holdout"] == 0 and summary["skipped"] == {"cooldown": 40}
    assert summary["emails_queued"] == 0 and count(sessions, OutboundEmail) == firsts[0]["treatment"]
    assert all(len(contacts) == 1 and contacts[0].campaign_id == first
               for contacts in contacts_by_customer(sessions).values())


def test_two_campaigns_run_at_the_same_moment_choose_each_customer_once(sessions, settings):
    crowd(sessions, 120)
    ids = [campaign(sessions, name, holdout_share=0.2, daily_budget=10_000.0) for name in ("north", "south")]
    results, errors = [], []
    start = threading.Barrier(2)

    def one_run(campaign_id: int) -> None:
        try:
            start.wait()
            results.append(run(sessions, settings, campaign_id))
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=one_run, args=(campaign_id,)) for campaign_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    chosen = contacts_by_customer(sessions)
    assert len(chosen) == 120 and all(len(contacts) == 1 for contacts in chosen.values())
    assert sum(result["treatment"] + result["holdout"] for result in results) == 120
    assert sum(result["skipped"].get("cooldown", 0) for result in results) == 120
    treated = [contacts[0] for contacts in chosen.values() if contacts[0].arm == "treatment"]
    assert count(sessions, OutboundEmail) == len(treated)


# --- which campaigns run -------------------------------------------------------------------------------------


def test_only_an_approved_campaign_runs(sessions, settings):
    crowd(sessions, 3)
    draft = campaign(sessions, "draft", status="draft")
    with pytest.raises(CampaignNotRunnable, match="approve"):
        run(sessions, settings, draft)
    paused = campaign(sessions, "paused")
    with sessions.begin() as session:
        repository.pause_campaign(session, paused)
    with pytest.raises(CampaignNotRunnable):
        run(sessions, settings, paused)
    assert count(sessions, CampaignContact) == count(sessions, CampaignRun) == 0


@pytest.mark.parametrize("smtp_host, public_url, runs", [
    ("smtp.shop.example", "", False),                          # real mail, links to http://127.0.0.1:8000
    ("smtp.shop.example", "http://localhost:8000", False),
    ("smtp.shop.example", "https://support.shop.example", True),
    ("", "", True),                                            # the local mail catcher: trying it out
    ("127.0.0.1", "", True),
])
def test_real_campaign_email_needs_links_customers_can_reach(sessions, settings, smtp_host, public_url, runs):
    crowd(sessions, 3)
    mailing = settings.model_copy(update={"smtp_host": smtp_host, "public_url": public_url})
    campaign_id = campaign(sessions)
    if runs:
        assert run(sessions, mailing, campaign_id)["status"] == "done"
    else:
        with pytest.raises(CampaignNotRunnable, match="KIZUNA_PUBLIC_URL"):
            run(sessions, mailing, campaign_id)
        assert count(sessions, CampaignContact) == count(sessions, CampaignRun) == 0


def test_changing_an_approved_campaign_needs_a_new_approval(sessions, settings):
    campaign_id = campaign(sessions)
    with sessions.begin() as session:
        assert repository.update_campaign(session, campaign_id, description="winter").status == "active"
        assert repository.update_campaign(session, campaign_id, rule=dict(RULE), channel="email").status == "active"  # the same
        changed = repository.update_campaign(session, campaign_id, daily_budget=10.0)
        assert (changed.status, changed.approved_by) == ("draft", None)
        with pytest.raises(ValueError, match="status"):
            repository.update_campaign(session, campaign_id, status="active")


def test_the_nightly_run_runs_every_active_campaign_and_reports_one_that_fails(sessions, settings):
    crowd(sessions, 10)
    good = campaign(sessions, "good", holdout_share=0.0)
    broken = campaign(sessions, "broken")
    campaign(sessions, "draft", status="draft")
    with sessions.begin() as session:
        session.get(Campaign, broken).rule = {"min_tier": "gold"}  # saved before the rule was checked

    results = run_active_campaigns(sessions, settings, now=NOW)

    by_name = {result["campaign"]: result for result in results}
    assert set(by_name) == {"broken", "good"}
    assert by_name["good"]["status"] == "done" and by_name["good"]["treatment"] == 10
    assert by_name["broken"]["status"] == "failed" and "min_tier" in by_name["broken"]["error"]
    assert [run.trigger for run in rows(sessions, CampaignRun)] == ["schedule"]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def test_a_contact_is_written_once_per_campaign_customer_and_day(sessions, settings):
    crowd(sessions, 2)
    campaign_id = campaign(sessions)
    with sessions() as session:
        first, second = session.scalars(select(Customer.id).order_by(Customer.id)).all()

    def row(customer_id: int, arm: str = "treatment") -> dict:
        return dict(campaign_id=campaign_id, customer_id=customer_id, contact_day=NOW.date(), arm=arm, channel="email",
                    status="queued", offer_id="save10", offer_kind="discount", cost=6.0, expected_gain=14.48,
                    tier="silver", segment="steady", created_at=NOW)

    with sessions.begin() as session:
        assert set(repository.add_contacts_once(session, [row(first)])) == {first}
    with sessions.begin() as session:
        added = repository.add_contacts_once(session, [row(first, "holdout"), row(second, "holdout")])
        assert set(added) == {second} and added[second].code is None
        assert session.scalar(select(func.count()).select_from(CampaignContact)) == 2  # the transaction goes on
    stored = {contact.customer_id: contact for contact in rows(sessions, CampaignContact)}
    assert stored[first].arm == "treatment" and stored[first].code.startswith("KZ-") and len(stored[first].code) == 11


def test_a_run_that_fails_keeps_what_it_wrote_and_running_again_finishes_the_rest(sessions, settings, monkeypatch):
    crowd(sessions, 30)
    campaign_id = campaign(sessions, holdout_share=0.0)
    monkeypatch.setattr(campaign_runs, "BATCH_SIZE", 10)
    real_queue, calls = campaign_runs.queue_offer_email, []

    def failing_on_the_fifteenth(*args, **kwargs):
        calls.append(1)
        if len(calls) == 15:
            raise OSError("disk full")
        return real_queue(*args, **kwargs)

    monkeypatch.setattr(campaign_runs, "queue_offer_email", failing_on_the_fifteenth)
    with pytest.raises(OSError):
        run(sessions, settings, campaign_id)
    [failed] = rows(sessions, CampaignRun)
    assert failed.status == "failed" and "disk full" in failed.error and failed.summary["written"] == 10
    assert count(sessions, CampaignContact) == count(sessions, OutboundEmail) == 10  # the first batch only

    summary = run(sessions, settings, campaign_id, now=NOW + timedelta(minutes=5))
    assert summary["treatment"] == 20 and summary["already_contacted"] == 10
    assert count(sessions, CampaignContact) == count(sessions, OutboundEmail) == 30


def test_pausing_a_campaign_stops_its_run_after_the_current_batch(sessions, settings, monkeypatch):
    crowd(sessions, 25)
    campaign_id = campaign(sessions, holdout_share=0.0)
    monkeypatch.setattr(campaign_runs, "BATCH_SIZE", 10)
    opened = []

    def pausing_before_the_second_batch():
        opened.append(1)
        if len(opened) == 4:  # the run's start, its selection, the first batch, then: an admin pauses it
            with sessions.begin() as session:
                repository.pause_campaign(session, campaign_id)
        return sessions()

    summary = run_campaign(pausing_before_the_second_batch, settings, campaign_id, now=NOW, trigger="console",
                           started_by="admin")
    assert (summary["status"], summary["treatment"], summary["skipped"]["campaign_paused"]) == ("stopped", 10, 15)
    assert count(sessions, CampaignContact) == count(sessions, OutboundEmail) == 10
    [stored] = rows(sessions, CampaignRun)
    assert stored.status == "done" and stored.summary["status"] == "stopped"  # it ended cleanly; the summary says why early


def test_the_chat_makes_no_offer_to_a_customer_a_campaign_chose_days_ago(app_env):
    """The chat's own retention step (turn_core) sees campaign contacts of either arm in its cool-down."""
    policy = load_policy(get_settings().retention_policy_path)

    def chat_control(customer: Customer) -> bool:
        return in_control_group(customer.external_id, policy.control_share, policy.control_salt)

    sessions = session_factory(app_env)
    profile = {"churn_probability": 0.8, "predicted_value_12m": 320.0, "tier": "silver", "segment": "steady"}
    with sessions.begin() as session:
        customers = [shopper(session, f"CHAT{number}") for number in range(40)]
        chat_treated = next(c for c in customers if not chat_control(c))
        campaign_id = repository.create_campaign(session, name="earlier", rule=RULE, created_by="admin").id
        for arm, customer in (("treatment", chat_treated), ("holdout", customers[-1])):
            session.add(CampaignContact(campaign_id=campaign_id, customer_id=customer.id, contact_day=(NOW - timedelta(days=3)).date(),
                                        arm=arm, channel="email", status="held_out", offer_id="save10", offer_kind="discount",
                                        cost=0.0, expected_gain=14.0, tier="silver", segment="steady",
                                        created_at=NOW - timedelta(days=3)))

    def chat_turn(customer: Customer, key: str) -> str:
        with sessions.begin() as session:
            turn = TurnAnalysis(conversation_id=f"conv-{key}", turn_key=key, customer_id=customer.id, intent="cancel_order",
                                sentiment_score=-0.4, customer_profile=profile)
            session.add(turn)
            session.flush()
            decision = decide_for_turn(session, turn, None, now=NOW)
            return f"{decision.action}:{','.join(decision.reasons)}"

    assert chat_turn(chat_treated, "treated").endswith("offer_cooldown")
    assert chat_turn(customers[-1], "held").endswith("offer_cooldown")
    fresh = next(c for c in customers[:-1] if c is not chat_treated and not chat_control(c))
    assert chat_turn(fresh, "fresh").startswith("offer:")


def test_a_code_that_clashes_with_an_issued_one_is_drawn_again(sessions, settings, monkeypatch):
    crowd(sessions, 3)
    campaign_id = campaign(sessions)
    with sessions() as session:
        ids = session.scalars(select(Customer.id).order_by(Customer.id)).all()
    codes = iter(["KZ-AAAAAAAA", "KZ-AAAAAAAA", "KZ-BBBBBBBB", "KZ-CCCCCCCC", "KZ-DDDDDDDD"])
    monkeypatch.setattr(repository, "new_offer_code", lambda: next(codes))

    def row(customer_id: int) -> dict:
        return dict(campaign_id=campaign_id, customer_id=customer_id, contact_day=NOW.date(), arm="treatment",
                    channel="email", status="queued", offer_id="save10", offer_kind="discount", cost=6.0,
                    expected_gain=14.48, tier="silver", segment="steady", created_at=NOW)

    with sessions.begin() as session:
        repository.add_contacts_once(session, [row(ids[0])])
    with sessions.begin() as session:
        added = repository.add_contacts_once(session, [row(ids[1]), row(ids[2])])
        assert (added[ids[1]].code, added[ids[2]].code) == ("KZ-CCCCCCCC", "KZ-DDDDDDDD")
    assert sorted(contact.code for contact in rows(sessions, CampaignContact)) == ["KZ-AAAAAAAA", "KZ-CCCCCCCC", "KZ-DDDDDDDD"]
