"""The campaigns API: admins only (anonymous 401, agents 403), changes need the CSRF header, a bad rule is a
422 that names the key and writes nothing; create, preview, approve, run now and results end to end, and the
retry of parked e-mail and dead webhook deliveries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from churn.config import load_config
from console.app import create_app
from kizuna.db.engine import session_scope
from kizuna.db.models import AuditEntry, Campaign, CampaignContact, Customer, CustomerScore, OutboundEmail, WebhookDelivery
from kizuna.db.webhooks import create_endpoint
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings, get_settings
from operations.demo import seed_demo_shop
from outreach.campaign_fields import DEFAULT_DAILY_BUDGET, DEFAULT_HOLDOUT_SHARE
from tests.conftest import DEMO_TODAY
from tests.unit.test_console_api import FakeRasa, add_user, log_in
from turn_core.customer_scoring import refresh_scores

RULE = {"min_churn_probability": 0.5, "min_days_since_order": 0}
CAMPAIGN = {"name": "Win back the drifting", "rule": RULE, "channel": "email", "holdout_share": 0.2, "daily_budget": 500}


@pytest.fixture
def client(app_env, tmp_path):
    ensure_secrets(tmp_path / "var")
    add_user(app_env, "admin", "admin-password", "admin")
    add_user(app_env, "sam", "sam-password", "agent")
    # crm.example resolves nowhere: its endpoints are added with the address check off (KIZUNA_WEBHOOK_ALLOW_PRIVATE=1)
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1, webhook_allow_private_targets=True)
    with TestClient(create_app(settings, rasa=FakeRasa())) as test_client:
        yield test_client


@pytest.fixture
def admin(client):
    log_in(client, "admin", "admin-password")
    return client


def score(url, tmp_path):
    """Scores for every demo customer, most of them at risk (no churn model in a unit test: set here)."""
    refresh_scores(url, DEMO_TODAY, load_config(get_settings().intelligence_config_path), tmp_path / "no-churn-model")
    with session_scope(url) as session:
        session.execute(update(CustomerScore).values(churn_probability=0.3 + (CustomerScore.customer_id % 6) / 10))
    return url


@pytest.fixture
def scored(app_env, tmp_path):
    return score(app_env, tmp_path)


@pytest.fixture
def any_db(database_url, tmp_path):
    """The demo shop, scored, on SQLite and on PostgreSQL."""
    with session_scope(database_url) as session:
        seed_demo_shop(session, customers=30, seed=7, today=DEMO_TODAY)
    add_user(database_url, "admin", "admin-password", "admin")
    return score(database_url, tmp_path)


@pytest.fixture
def any_db_admin(any_db, tmp_path):
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=any_db, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as test_client:
        log_in(test_client, "admin", "admin-password")
        yield test_client


def count(url, model, *where):
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_anonymous_visitors_get_401_and_agents_403(client):
    paths = [("GET", "/api/campaigns"), ("GET", "/api/campaigns/options"), ("POST", "/api/campaigns"), ("POST", "/api/campaigns/preview"),
             ("POST", "/api/campaigns/1/approve"), ("POST", "/api/campaigns/1/run"), ("GET", "/api/campaigns/1/results"),
             ("GET", "/api/outreach/parked-emails"), ("POST", "/api/outreach/parked-emails/1/retry"),
             ("GET", "/api/webhooks/dead-deliveries"), ("POST", "/api/webhooks/dead-deliveries/1/retry"),
             ("GET", "/api/webhooks/endpoints"), ("POST", "/api/webhooks/endpoints"), ("DELETE", "/api/webhooks/endpoints/1")]
    for method, path in paths:
        response = client.request(method, path, json=CAMPAIGN if method == "POST" else None)
        assert response.status_code == 401 and response.json()["error"]["code"] == "login_required", path
    page = client.get("/campaigns", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fcampaigns"
    log_in(client, "sam", "sam-password")
    for method, path in paths:
        response = client.request(method, path, json=CAMPAIGN if method == "POST" else None)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden", path
    assert client.get("/campaigns").status_code == 403


def test_changes_without_the_csrf_header_are_refused_and_write_nothing(admin, app_env):
    token = admin.headers.pop("X-CSRF-Token")
    before = count(app_env, Campaign)
    for headers in ({}, {"X-CSRF-Token": token[:-1] + "x"}):
        response = admin.post("/api/campaigns", json=CAMPAIGN, headers=headers)
        assert response.status_code == 403 and response.json()["error"]["code"] == "csrf_failed"
    assert count(app_env, Campaign) == before
    assert admin.get("/api/campaigns").status_code == 200  # reading needs no token


@pytest.mark.parametrize("change, field, fragment", [
    ({"rule": {"min_tier": "gold"}}, "rule.min_tier", "min_tier must be one of regular, silver, vip"),
    ({"rule": {"min_churn_probability": 1.5}}, "rule.min_churn_probability", "between 0 and 1"),
    ({"rule": {"min_churn_probability": "high"}}, "rule.min_churn_probability", "must be a number"),
    ({"rule": {"min_days_since_order": 90, "max_days_since_order": 30}}, "rule.min_days_since_order", "nobody would match"),
    ({"rule": {"colour": "red"}}, "rule", "unknown rule key(s): colour"),
    ({"rule": {}}, "rule", "at least one key"),
    ({"offer_ids": ["save10", "free_lunch"]}, "offer_ids", "no campaign offer free_lunch"),
    ({"holdout_share": 0.9}, "holdout_share", "holdout_share must be between 0 and 0.5"),
    ({"daily_budget": 2_000_000}, "daily_budget", "daily_budget must be between 0 and 1,000,000"),
    ({"daily_budget": -1}, "daily_budget", "daily_budget must be between 0"),
])
def test_a_malformed_rule_is_a_422_naming_the_key_and_nothing_is_written(admin, app_env, change, field, fragment):
    before = count(app_env, Campaign)
    for path in ("/api/campaigns", "/api/campaigns/preview"):
        response = admin.post(path, json={**CAMPAIGN, **change})
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_rule" and fragment in error["message"]
        assert error["details"] == [{"field": field, "message": error["message"]}]
    assert count(app_env, Campaign) == before


def test_the_options_name_the_currency_and_a_new_campaigns_defaults(admin):
    options = admin.get("/api/campaigns/options").json()
    assert options["currency"] == "EUR"  # data/shop.yml
    assert options["defaults"] == {"holdout_share": DEFAULT_HOLDOUT_SHARE, "daily_budget": DEFAULT_DAILY_BUDGET}


@pytest.mark.parametrize("change, fragment", [
    ({"rule": "min_churn_probability=0.5"}, "rule: Input should be a valid dictionary"),
    ({"holdout_share": "lots"}, "holdout_share: Input should be a valid number"),
    ({"channel": "sms"}, "channel: Input should be 'email' or 'widget'"),
    ({"name": "   "}, "name: a campaign needs a name"),
])
def test_malformed_fields_are_422_with_the_field_named(admin, app_env, change, fragment):
    response = admin.post("/api/campaigns", json={**CAMPAIGN, **change})
    assert response.status_code == 422 and fragment in response.json()["error"]["message"]
    assert count(app_env, Campaign, Campaign.created_by == "admin") == 0


def test_create_preview_approve_run_and_see_the_results(any_db_admin, any_db):
    admin, scored = any_db_admin, any_db
    preview = admin.post("/api/campaigns/preview", json={k: CAMPAIGN[k] for k in ("rule", "channel", "holdout_share", "daily_budget")})
    assert preview.status_code == 200, preview.text
    figures = preview.json()
    assert figures["audience"] > 0 and figures["treatment"] > 0
    assert sum(figures["by_tier"].values()) == figures["treatment"] + figures["holdout"] == sum(figures["by_segment"].values())
    assert figures["expected_cost"] > 0 and figures["expected_gain"] > 0 and "no_consent" in figures["skipped"]
    assert count(scored, CampaignContact) == 0  # a preview writes nothing

    created = admin.post("/api/campaigns", json=CAMPAIGN)
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert campaign["status"] == "draft" and campaign["rule"] == RULE and campaign["created_by"] == "admin"
    assert admin.post("/api/campaigns", json=CAMPAIGN).status_code == 409  # the name is taken
    refused = admin.post(f"/api/campaigns/{campaign['id']}/run")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_approved"

    approved = admin.post(f"/api/campaigns/{campaign['id']}/approve").json()
    assert approved["status"] == "active" and approved["approved_by"] == "admin"
    run = admin.post(f"/api/campaigns/{campaign['id']}/run")
    assert run.status_code == 200, run.text
    summary = run.json()["run"]
    assert summary["treatment"] > 0 and summary["emails_queued"] == summary["treatment"]
    assert count(scored, OutboundEmail) == summary["treatment"]
    again = admin.post(f"/api/campaigns/{campaign['id']}/run").json()["run"]
    assert again["treatment"] == 0 and again["already_contacted"] == summary["treatment"] + summary["holdout"]
    assert count(scored, OutboundEmail) == summary["treatment"]  # nothing sent twice

    results = admin.get(f"/api/campaigns/{campaign['id']}/results").json()
    assert [r["status"] for r in results["runs"]] == ["done", "done"] and results["runs"][1]["started_by"] == "admin"
    arms = results["report"]["arms"]
    assert arms["treatment"]["contacts"] == summary["treatment"] and arms["holdout"]["contacts"] == summary["holdout"]
    assert results["report"]["uplift"]["conversion"]["verdict"] == "too small to tell"
    listed = {c["name"]: c for c in admin.get("/api/campaigns").json()["campaigns"]}
    assert listed[CAMPAIGN["name"]]["last_run"]["status"] == "done"
    actions = [e for (e,) in _audit(scored)]
    assert {"campaign_created", "campaign_approved", "campaign_run"} <= set(actions)


def test_an_edited_campaign_is_a_draft_again_and_keeps_its_name(admin, app_env):
    campaign = admin.post("/api/campaigns", json=CAMPAIGN).json()
    admin.post(f"/api/campaigns/{campaign['id']}/approve")
    edited = admin.put(f"/api/campaigns/{campaign['id']}", json={**CAMPAIGN, "rule": {"min_tier": "vip"}})
    assert edited.status_code == 200 and edited.json()["status"] == "draft" and edited.json()["rule"] == {"min_tier": "vip"}
    renamed = admin.put(f"/api/campaigns/{campaign['id']}", json={**CAMPAIGN, "name": "Another"})
    assert renamed.status_code == 422 and renamed.json()["error"]["details"][0]["field"] == "name"
    assert admin.put("/api/campaigns/999", json=CAMPAIGN).status_code == 404
    assert admin.get("/api/campaigns/999/results").status_code == 404


def test_parked_email_and_dead_webhooks_are_listed_and_retried(admin, app_env):
    now = datetime.now(timezone.utc)
    with session_scope(app_env) as session:
        customer = session.scalars(select(Customer).where(Customer.external_id == "C0001")).one()
        email = OutboundEmail(customer_id=customer.id, to_address=customer.email, subject="A little something", text_body="t",
                              html_body="<p>t</p>", status="parked", attempts=6, last_error="550 no such user", next_attempt_at=now)
        endpoint, _secret = create_endpoint(session, "https://crm.example/hooks", ["offer.issued"], "admin",
                                            allow_private_targets=True)
        delivery = WebhookDelivery(endpoint_id=endpoint.id, event_id="e-1", event_type="offer.issued", payload={}, status="dead",
                                   attempts=6, last_error="HTTP 500", last_status_code=500, next_attempt_at=now)
        session.add_all([email, delivery])
        session.flush()
        email_id, delivery_id = email.id, delivery.id
    parked = admin.get("/api/outreach/parked-emails").json()["emails"]
    assert [(e["id"], e["last_error"]) for e in parked] == [(email_id, "550 no such user")]
    dead = admin.get("/api/webhooks/dead-deliveries").json()["deliveries"]
    assert [(d["id"], d["endpoint_url"], d["last_status_code"]) for d in dead] == [(delivery_id, "https://crm.example/hooks", 500)]

    assert admin.post(f"/api/outreach/parked-emails/{email_id}/retry").json() == {"id": email_id, "status": "queued"}
    assert admin.post(f"/api/outreach/parked-emails/{email_id}/retry").status_code == 404  # not parked any more
    assert admin.post(f"/api/webhooks/dead-deliveries/{delivery_id}/retry").json() == {"id": delivery_id, "status": "pending"}
    again = admin.post(f"/api/webhooks/dead-deliveries/{delivery_id}/retry")
    assert again.status_code == 409 and "only a dead delivery" in again.json()["error"]["message"]
    with session_scope(app_env) as session:
        assert session.get(OutboundEmail, email_id).attempts == 0 and session.get(WebhookDelivery, delivery_id).attempts == 0
    assert admin.get("/api/outreach/parked-emails").json()["emails"] == []


def test_a_parked_email_whose_code_expired_cannot_be_retried(admin, app_env):
    now = datetime.now(timezone.utc)
    with session_scope(app_env) as session:
        customer = session.scalars(select(Customer).where(Customer.external_id == "C0001")).one()
        campaign = Campaign(name="Long ago", rule={"min_tier": "vip"}, created_by="admin", status="active")
        session.add(campaign)
        session.flush()
        expired = (now - timedelta(days=2)).date()
        contact = CampaignContact(campaign_id=campaign.id, customer_id=customer.id, contact_day=expired - timedelta(days=14),
                                  arm="treatment", channel="email", status="parked", offer_id="save10", offer_kind="discount",
                                  cost=5.0, expected_gain=1.0, tier="regular", segment="steady", code="KZ-EXPIRED2",
                                  valid_until=expired)
        session.add(contact)
        session.flush()
        email = OutboundEmail(customer_id=customer.id, contact_id=contact.id, to_address=customer.email, subject="s",
                              text_body="t", html_body="<p>t</p>", status="parked", attempts=6, last_error="550", next_attempt_at=now)
        session.add(email)
        session.flush()
        email_id = email.id
    refused = admin.post(f"/api/outreach/parked-emails/{email_id}/retry")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "cannot_retry"
    assert f"the code KZ-EXPIRED2 expired on {expired.isoformat()}" in refused.json()["error"]["message"]
    with session_scope(app_env) as session:
        assert (session.get(OutboundEmail, email_id).status, session.get(OutboundEmail, email_id).attempts) == ("parked", 6)


def test_webhook_endpoints_are_added_with_their_secret_shown_once(admin):
    added = admin.post("/api/webhooks/endpoints", json={"url": "https://crm.example/kizuna", "events": ["customer.at_risk"]})
    assert added.status_code == 201 and added.json()["secret"].startswith("whsec_")
    listed = admin.get("/api/webhooks/endpoints").json()["endpoints"]
    assert [e["url"] for e in listed] == ["https://crm.example/kizuna"] and "secret" not in listed[0]
    bad = admin.post("/api/webhooks/endpoints", json={"url": "ftp://crm.example", "events": ["customer.at_risk"]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_endpoint"
    assert admin.delete(f"/api/webhooks/endpoints/{listed[0]['id']}").json() == {"id": listed[0]["id"], "active": False}
    assert admin.get("/api/webhooks/endpoints").json()["endpoints"] == []
    assert admin.delete("/api/webhooks/endpoints/999").status_code == 404


def _audit(url):
    with session_scope(url) as session:
        return session.execute(select(AuditEntry.action)).all()


def test_the_demo_shop_brings_consent_and_a_draft_campaign_that_previews(admin, scored):
    with session_scope(scored) as session:
        consents = session.scalars(select(Customer.marketing_opt_in)).all()
    assert 0.6 <= sum(consents) / len(consents) <= 0.95
    demo = next(c for c in admin.get("/api/campaigns").json()["campaigns"] if c["name"] == "Win back drifting silver and VIP customers")
    assert demo["status"] == "draft" and demo["last_run"] is None
    assert demo["rule"] == {"min_churn_probability": 0.5, "min_tier": "silver", "min_days_since_order": 45}
    preview = admin.post("/api/campaigns/preview", json={**{k: demo[k] for k in ("rule", "channel", "offer_ids", "holdout_share", "daily_budget")},
                                                         "campaign_id": demo["id"]})
    assert preview.status_code == 200 and set(preview.json()["by_tier"]) <= {"silver", "vip"}
