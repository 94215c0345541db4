"""The widget nudge: only the customer a valid token proves sees their own pending campaign offer, once;
a holdout contact, another customer, a forged token or a paused campaign never shows one."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from churn.config import load_config
from console import widget_nudge
from console.app import create_app
from console.widget_nudge import nudge_text
from kizuna.customer_tokens import make_token
from kizuna.db.campaigns import approve_campaign, create_campaign
from kizuna.db.engine import session_factory, session_scope
from kizuna.db.models import Campaign, CampaignContact, Customer, CustomerScore
from kizuna.db.widget_nudges import PendingNudge, mark_nudge_shown, pending_nudge
from kizuna.secrets import ensure_secrets, load_secrets
from kizuna.settings import Settings, get_settings
from outreach.campaign_runs import run_campaign
from retention.catalog import load_catalog
from tests.conftest import DEMO_TODAY
from tests.unit.test_console_api import FakeRasa
from turn_core.customer_scoring import refresh_scores

TODAY = datetime.now(timezone.utc).date()


@pytest.fixture
def client(app_env, tmp_path):
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as test_client:
        yield test_client


@pytest.fixture
def contacts(app_env):
    """An active widget campaign: C0001 treated (a pending nudge), C0002 in the holdout."""
    with session_scope(app_env) as session:
        campaign = Campaign(name="Widget win-back", rule={"min_tier": "silver"}, channel="widget", status="active", created_by="admin")
        session.add(campaign)
        session.flush()
        ids = {}
        for external_id, arm, status, code in (("C0001", "treatment", "pending", "KZ-ABCD2345"), ("C0002", "holdout", "held_out", None)):
            customer = session.scalars(select(Customer).where(Customer.external_id == external_id)).one()
            contact = CampaignContact(campaign_id=campaign.id, customer_id=customer.id, contact_day=TODAY, arm=arm, channel="widget",
                                      status=status, offer_id="save10", offer_kind="discount", cost=6.0, expected_gain=12.0,
                                      tier="silver", segment="steady", code=code,
                                      valid_until=TODAY + timedelta(days=30) if code else None)
            session.add(contact)
            session.flush()
            ids[external_id] = contact.id
        return {"campaign": campaign.id, **ids}


def token(tmp_path, customer_id):
    return make_token(customer_id, load_secrets(tmp_path / "var")["widget_secret"])


def ask(client, customer_token):
    response = client.post("/api/widget/nudge", json={"customer_token": customer_token})
    assert response.status_code == 200, response.text
    return response.json()["nudge"]


def status_of(url, contact_id):
    with session_scope(url) as session:
        contact = session.get(CampaignContact, contact_id)
        return contact.status, contact.sent_at


def test_the_treated_customer_sees_their_nudge_once(client, contacts, app_env, tmp_path):
    with session_scope(app_env) as session:
        first_name = session.scalars(select(Customer.name).where(Customer.external_id == "C0001")).one().split()[0]
    nudge = ask(client, token(tmp_path, "C0001"))
    assert nudge["code"] == "KZ-ABCD2345" and nudge["valid_until"] == (TODAY + timedelta(days=30)).isoformat()
    assert nudge["text"].startswith(f"Welcome back, {first_name}: your 10 % code KZ-ABCD2345 is valid until")
    status, sent_at = status_of(app_env, contacts["C0001"])
    assert status == "shown" and sent_at is not None
    assert ask(client, token(tmp_path, "C0001")) is None  # shown once


def test_nobody_else_sees_it(client, contacts, app_env, tmp_path):
    assert ask(client, token(tmp_path, "C0003")) is None  # another customer
    forged = token(tmp_path, "C0001")[:-4] + "0000"
    assert ask(client, forged) is None
    assert ask(client, make_token("C0001", "not-the-widget-secret")) is None
    assert ask(client, "") is None  # anonymous
    assert status_of(app_env, contacts["C0001"]) == ("pending", None)  # still waiting for its customer


def test_a_holdout_contact_never_shows(client, contacts, app_env, tmp_path):
    assert ask(client, token(tmp_path, "C0002")) is None
    assert status_of(app_env, contacts["C0002"]) == ("held_out", None)


def test_a_paused_campaign_or_an_expired_code_shows_nothing(client, contacts, app_env, tmp_path):
    with session_scope(app_env) as session:
        session.get(Campaign, contacts["campaign"]).status = "paused"
    assert ask(client, token(tmp_path, "C0001")) is None
    with session_scope(app_env) as session:
        session.get(Campaign, contacts["campaign"]).status = "active"
        session.get(CampaignContact, contacts["C0001"]).valid_until = TODAY - timedelta(days=1)
    assert ask(client, token(tmp_path, "C0001")) is None
    assert status_of(app_env, contacts["C0001"])[0] == "pending"


def test_the_last_valid_day_is_the_shops_calendar_day(client, contacts, app_env, tmp_path, monkeypatch):
    """At 00:30 in Berlin (23:30 UTC the day before) a code whose last day was the Berlin yesterday has ended,
    and one ending on the Berlin today ends today."""
    monkeypatch.setattr(widget_nudge, "utc_now", lambda: datetime(2026, 12, 7, 23, 30, tzinfo=timezone.utc))
    with session_scope(app_env) as session:
        session.get(CampaignContact, contacts["C0001"]).valid_until = date(2026, 12, 7)
    assert ask(client, token(tmp_path, "C0001")) is None
    with session_scope(app_env) as session:
        session.get(CampaignContact, contacts["C0001"]).valid_until = date(2026, 12, 8)
    assert ask(client, token(tmp_path, "C0001"))["text"].endswith("KZ-ABCD2345 ends today.")


def test_an_oversized_token_is_refused_clearly(client):
    response = client.post("/api/widget/nudge", json={"customer_token": "x" * 300})
    assert response.status_code == 422 and "customer_token" in response.json()["error"]["message"]


def test_of_two_tabs_asking_at_once_only_one_marks_it_shown(contacts, app_env):
    now = datetime.now(timezone.utc)
    with session_scope(app_env) as session:
        assert mark_nudge_shown(session, contacts["C0001"], now) is True
        assert mark_nudge_shown(session, contacts["C0001"], now) is False
        assert mark_nudge_shown(session, contacts["C0002"], now) is False  # a holdout contact is never pending


@pytest.mark.parametrize("days, ending", [(0, "ends today"), (1, "ends tomorrow"), (3, "ends on"), (20, "is valid until")])
def test_the_nudge_says_when_the_code_ends(days, ending):
    found = PendingNudge(contact_id=1, customer_name="Wen Li", offer_id="freeship", offer_kind="free_shipping",
                         code="KZ-AAAA2222", valid_until=date(2026, 12, 7) + timedelta(days=days))
    freeship = {offer.id: offer for offer in load_catalog(get_settings().offer_catalog_path)}["freeship"]
    text = nudge_text(found, freeship, date(2026, 12, 7))
    assert text.startswith("Welcome back, Wen: your free-shipping code KZ-AAAA2222 ") and ending in text
    assert nudge_text(PendingNudge(1, "", "x", "discount", "KZ-B", date(2026, 12, 10)), None, date(2026, 12, 7)).startswith("Welcome back: your code KZ-B")


def test_a_widget_campaign_run_nudges_its_treated_customers_and_never_its_holdout(client, app_env, tmp_path):
    """Through the real run: contacts of both arms, each customer asks with their own token."""
    refresh_scores(app_env, DEMO_TODAY, load_config(get_settings().intelligence_config_path), tmp_path / "no-churn-model")
    with session_scope(app_env) as session:
        session.execute(update(CustomerScore).values(churn_probability=0.8))
        campaign = create_campaign(session, name="Nudge them", rule={"min_churn_probability": 0.5}, channel="widget",
                                   holdout_share=0.5, daily_budget=1000, created_by="admin")
        approve_campaign(session, campaign.id, approved_by="admin", now=datetime.now(timezone.utc))
        campaign_id = campaign.id
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    summary = run_campaign(session_factory(app_env), settings, campaign_id, now=datetime.now(timezone.utc), trigger="cli", started_by="admin")
    assert summary["treatment"] > 0 and summary["holdout"] > 0
    with session_scope(app_env) as session:
        rows = session.execute(select(Customer.external_id, CampaignContact.arm, CampaignContact.code)
                               .join(Customer, Customer.id == CampaignContact.customer_id)).all()
    for external_id, arm, code in rows:
        nudge = ask(client, token(tmp_path, external_id))
        if arm == "holdout":
            assert nudge is None, external_id
        else:
            assert nudge["code"] == code and code in nudge["text"]
            assert ask(client, token(tmp_path, external_id)) is None
    with session_scope(app_env) as session:
        statuses = dict(session.execute(select(CampaignContact.arm, func.count()).where(CampaignContact.status == "shown")
                                        .group_by(CampaignContact.arm)).all())
    assert statuses == {"treatment": summary["treatment"]}


def test_two_tabs_asking_at_the_same_moment_show_it_once_on_each_database(database_url):
    """Both find the pending nudge; only one of them may mark it shown (PostgreSQL and SQLite)."""
    with session_scope(database_url) as session:
        session.add(Customer(external_id="C-9", name="Wen Li", email="wen@example.test"))
        campaign = Campaign(name="Widget", rule={"min_tier": "silver"}, channel="widget", status="active", created_by="admin")
        session.add(campaign)
        session.flush()
        customer_id = session.scalars(select(Customer.id).where(Customer.external_id == "C-9")).one()
        session.add(CampaignContact(campaign_id=campaign.id, customer_id=customer_id, contact_day=TODAY, arm="treatment", channel="widget",
                                    status="pending", offer_id="save10", offer_kind="discount", cost=6.0, expected_gain=1.0, tier="silver",
                                    segment="steady", code="KZ-TABS2345", valid_until=TODAY + timedelta(days=5)))
    sessions = session_factory(database_url)
    both_found = threading.Barrier(2)
    shown: list[bool] = []

    def tab() -> None:
        with sessions.begin() as session:
            found = pending_nudge(session, "C-9", TODAY)
            both_found.wait(timeout=10)
            shown.append(found is not None and mark_nudge_shown(session, found.contact_id, datetime.now(timezone.utc)))

    tabs = [threading.Thread(target=tab) for _ in range(2)]
    for thread in tabs:
        thread.start()
    for thread in tabs:
        thread.join(timeout=30)
    assert sorted(shown) == [False, True]
