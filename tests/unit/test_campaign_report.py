"""The campaign report on seeded contacts and orders: what counts in the 30 days after a contact, per arm and per
offer, the uplift (hand-computed in tests/retention/test_uplift.py for the same figures) and the redeemed cost;
and `kizuna retention report` carrying it next to its former keys."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from console import campaign_results_routes
from console.app import create_app
from console.campaign_chart import campaigns_svg
from kizuna.db.engine import session_scope
from kizuna.db.models import Campaign
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from operations.cli import main
from outreach.campaign_report import campaign_report
from tests.unit import campaign_rows as rows
from tests.unit.campaign_rows import NOW, day
from tests.unit.test_console_api import FakeRasa, add_user, log_in

CONTACTED = day(-40)  # every window of 30 days is over by NOW


def seed(session) -> tuple[int, int]:
    """40 treated and 40 held out, half of each arm offered discount_10, half free_shipping.
    Treated: every other one ordered 50 in its window (T00 in two orders of 25); T00-T04 redeemed their code;
    39 sent, 30 opened, 10 clicked. Holdout: H00-H09 ordered 20 (H09 exactly 30 days after).
    Orders that must not count: before the contact, 31 days after, cancelled, returned."""
    campaign = rows.campaign(session)
    rows.campaign(session, "Quiet VIPs")  # no contacts yet
    for index in range(40):
        offer = "discount_10" if index < 20 else "free_shipping"
        treated = rows.customer(session, f"T{index:02d}", email=None)
        contact = rows.contact(session, campaign, treated, at=CONTACTED, code=f"KZ-T{index:02d}XXXXX", valid_days=14,
                               offer_id=offer, sent=index < 39, opened=index < 30, clicked=index < 10)
        if index < 5:
            contact.redeemed_at = CONTACTED + timedelta(days=3)
        if index == 0:
            rows.order(session, treated, "T00-a", CONTACTED + timedelta(days=3), total="25.00")
            rows.order(session, treated, "T00-b", CONTACTED + timedelta(days=9), total="25.00")
        elif index % 2 == 0:
            rows.order(session, treated, f"T{index:02d}-a", CONTACTED + timedelta(days=5), total="50.00")
        held = rows.customer(session, f"H{index:02d}", email=None)
        rows.contact(session, campaign, held, arm="holdout", at=CONTACTED, offer_id=offer)
        if index < 10:
            rows.order(session, held, f"H{index:02d}-a", CONTACTED + timedelta(days=30 if index == 9 else 3), total="20.00")
    t01, t03, t05, h11 = (rows.customer_by(session, external) for external in ("T01", "T03", "T05", "H11"))
    rows.order(session, t01, "T01-before", CONTACTED - timedelta(minutes=1), total="80.00")
    rows.order(session, t03, "T03-late", CONTACTED + timedelta(days=30, minutes=1), total="80.00")
    rows.order(session, t05, "T05-cancelled", CONTACTED + timedelta(days=2), total="80.00", status="cancelled")
    rows.order(session, h11, "H11-returned", CONTACTED + timedelta(days=2), total="80.00", status="returned")
    return campaign.id, campaign.id + 1


@pytest.fixture
def report(database_url):
    with session_scope(database_url) as session:
        seed(session)
    with session_scope(database_url) as session:
        return campaign_report(session, now=NOW)


def test_each_arm_counts_only_purchases_in_the_30_days_after_the_contact(report):
    assert [c["name"] for c in report["campaigns"]] == ["Win back silver", "Quiet VIPs"]
    assert report["window_days"] == 30 and report["generated_at"] == NOW.isoformat() and report["since"] is None
    campaign = report["campaigns"][0]
    assert campaign["arms"]["treatment"] == {
        "contacts": 40, "customers": 40, "window_complete": 40, "sent": 39, "opened": 30, "clicked": 10, "redeemed": 5,
        "converted": 20, "orders": 21, "revenue": 1000.0, "conversion": 0.5, "conversion_ci95": [0.352, 0.648],
        "revenue_per_customer": 25.0}
    assert campaign["arms"]["holdout"] == {
        "contacts": 40, "customers": 40, "window_complete": 40, "sent": 0, "opened": 0, "clicked": 0, "redeemed": 0,
        "converted": 10, "orders": 10, "revenue": 200.0, "conversion": 0.25, "conversion_ci95": [0.1419, 0.4019],
        "revenue_per_customer": 5.0}
    assert campaign["cost"] == {"redeemed_offers": 30.0, "redemptions": 5}


def test_the_uplift_of_the_campaign_and_too_small_to_tell_per_offer(report):
    campaign = report["campaigns"][0]
    # Wilson 20/40 -> (0.35199, 0.64801), 10/40 -> (0.14187, 0.40194); Newcombe:
    # 0.25 - √(0.14801² + 0.15194²) = 0.03789 and 0.25 + √(0.14801² + 0.10813²) = 0.43330
    conversion = campaign["uplift"]["conversion"]
    assert (conversion["treated"], conversion["holdout"], conversion["difference"]) == (0.5, 0.25, 0.25)
    assert conversion["ci95"] == pytest.approx([0.0379, 0.4333], abs=1e-4) and conversion["verdict"] == "higher with the offer"
    revenue = campaign["uplift"]["revenue_per_customer"]  # 20 × 50 and 20 × 0 against 10 × 20 and 30 × 0
    assert (revenue["difference"], revenue["ci95"], revenue["verdict"]) == (20.0, [11.7, 28.3], "higher with the offer")

    offers = {offer["offer_id"]: offer for offer in campaign["offers"]}
    assert sorted(offers) == ["discount_10", "free_shipping"]
    discount = offers["discount_10"]
    assert (discount["arms"]["treatment"]["contacts"], discount["arms"]["treatment"]["converted"]) == (20, 10)
    assert (discount["arms"]["holdout"]["contacts"], discount["arms"]["holdout"]["converted"]) == (20, 10)
    assert discount["cost"] == {"redeemed_offers": 30.0, "redemptions": 5}
    assert discount["uplift"]["conversion"]["verdict"] == "too small to tell"
    assert "only 20 customers" in discount["uplift"]["conversion"]["reason"]
    free = offers["free_shipping"]
    assert (free["arms"]["treatment"]["converted"], free["arms"]["holdout"]["converted"], free["cost"]["redemptions"]) == (10, 0, 0)


def test_a_customer_contacted_again_counts_once_from_the_first_contact(database_url):
    """T01 (treated, no order after the first contact) is contacted again with another offer and orders after
    that; H00 (held out, ordered after the first) is contacted again too. The campaign still has 40 customers per
    arm with the same conversions; the second offer's row counts T01 from its own first contact."""
    with session_scope(database_url) as session:
        campaign_id, _ = seed(session)
        silver = session.get(Campaign, campaign_id)
        t01, h00 = rows.customer_by(session, "T01"), rows.customer_by(session, "H00")
        rows.contact(session, silver, t01, at=day(-8), code="KZ-T01AGAIN", offer_id="free_shipping")
        rows.order(session, t01, "T01-again", day(-7), total="70.00")
        rows.contact(session, silver, h00, arm="holdout", at=day(-8), offer_id="discount_10")
    with session_scope(database_url) as session:
        campaign = campaign_report(session, campaign_id=campaign_id, now=NOW)["campaigns"][0]
    treated, holdout = campaign["arms"]["treatment"], campaign["arms"]["holdout"]
    assert (treated["contacts"], treated["sent"], treated["customers"]) == (41, 40, 40)
    assert (treated["converted"], treated["orders"], treated["revenue"], treated["conversion"]) == (20, 21, 1000.0, 0.5)
    assert (holdout["contacts"], holdout["customers"], holdout["converted"], holdout["conversion"]) == (41, 40, 10, 0.25)
    assert campaign["uplift"]["conversion"]["difference"] == 0.25
    free = next(offer for offer in campaign["offers"] if offer["offer_id"] == "free_shipping")["arms"]["treatment"]
    assert (free["contacts"], free["customers"], free["converted"], free["revenue"]) == (21, 21, 11, 570.0)
    discount = next(offer for offer in campaign["offers"] if offer["offer_id"] == "discount_10")["arms"]["holdout"]
    assert (discount["contacts"], discount["customers"], discount["converted"]) == (21, 20, 10)


def test_a_campaign_without_contacts_has_empty_arms(report):
    quiet = report["campaigns"][1]
    assert quiet["arms"]["treatment"]["contacts"] == 0 and quiet["arms"]["treatment"]["conversion"] is None
    assert quiet["offers"] == [] and quiet["uplift"]["conversion"]["verdict"] == "too small to tell"


def test_one_campaign_a_recent_window_and_an_unfinished_window(sqlite_url):
    with session_scope(sqlite_url) as session:
        first, second = seed(session)
        late = rows.customer(session, "L1", email=None)
        rows.contact(session, session.get(Campaign, second), late, at=day(-2), code="KZ-LATE2222")
        rows.order(session, late, "L1-a", day(-1), total="12.50")
        rows.order(session, late, "L1-future", day(1), total="99.00")  # not placed yet as of NOW
    with session_scope(sqlite_url) as session:
        only_second = campaign_report(session, campaign_id=second, now=NOW)
        recent = campaign_report(session, now=NOW, since=day(-10))
        missing = campaign_report(session, campaign_id=second + 100, now=NOW)
    [quiet] = only_second["campaigns"]
    assert quiet["name"] == "Quiet VIPs"
    treated = quiet["arms"]["treatment"]
    assert (treated["contacts"], treated["window_complete"], treated["orders"], treated["revenue"]) == (1, 0, 1, 12.5)
    assert [c["arms"]["treatment"]["contacts"] for c in recent["campaigns"]] == [0, 1]
    assert missing["campaigns"] == []


def test_the_retention_report_command_keeps_its_keys_and_adds_campaigns(app_env):
    with session_scope(app_env) as session:
        seed(session)
    result = CliRunner().invoke(main, ["retention", "report"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"since", "decisions", "offers", "arms", "campaigns"} <= set(report)
    assert set(report["arms"]) == {"treatment", "control"}
    campaigns = {c["name"]: c for c in report["campaigns"]}  # the demo shop may have campaigns of its own
    assert {"Win back silver", "Quiet VIPs"} <= set(campaigns)
    assert campaigns["Win back silver"]["arms"]["treatment"]["contacts"] == 40
    assert campaigns["Win back silver"]["uplift"]["conversion"]["verdict"] == "higher with the offer"
    recent = json.loads(CliRunner().invoke(main, ["retention", "report", "--days", "7"]).output)
    silver = next(c for c in recent["campaigns"] if c["name"] == "Win back silver")
    assert silver["arms"]["treatment"]["contacts"] == 0  # contacted weeks before the last 7 days


def test_the_analytics_page_reads_the_campaigns_and_their_chart_as_staff_only(app_env, tmp_path):
    with session_scope(app_env) as session:
        seed(session)
    ensure_secrets(tmp_path / "var")
    add_user(app_env, "tina", "tina-password", "trainer")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as client:
        for path in ("/api/analytics/campaigns", "/api/analytics/campaigns.svg"):
            assert client.get(path).status_code == 401
        log_in(client, "tina", "tina-password")
        body = client.get("/api/analytics/campaigns").json()
        chart = client.get("/api/analytics/campaigns.svg")
    silver = next(c for c in body["campaigns"] if c["name"] == "Win back silver")
    assert silver["arms"]["treatment"]["converted"] == 20 and silver["uplift"]["conversion"]["verdict"] == "higher with the offer"
    assert chart.status_code == 200 and chart.headers["content-type"].startswith("image/svg+xml")
    assert "Win back silver" in chart.text and "Quiet VIPs" not in chart.text  # only campaigns with contacts are drawn


def test_the_analytics_table_and_chart_of_one_page_load_share_one_report(app_env, tmp_path, monkeypatch):
    with session_scope(app_env) as session:
        seed(session)
    ensure_secrets(tmp_path / "var")
    add_user(app_env, "tina", "tina-password", "trainer")
    built, clock = [], [1000.0]

    def counted_report(session, **kwargs):
        built.append(kwargs["now"])
        return campaign_report(session, **kwargs)

    monkeypatch.setattr(campaign_results_routes, "campaign_report", counted_report)
    monkeypatch.setattr(campaign_results_routes, "clock", lambda: clock[0])
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as client:
        log_in(client, "tina", "tina-password")
        table = client.get("/api/analytics/campaigns").json()
        assert "Win back silver" in client.get("/api/analytics/campaigns.svg").text
        assert len(built) == 1
        clock[0] += campaign_results_routes.REPORT_SECONDS + 1  # a later visit sees new results
        assert client.get("/api/analytics/campaigns.svg").status_code == 200 and len(built) == 2
    with TestClient(create_app(settings, rasa=FakeRasa())) as other:  # another app (database) never gets this one's
        log_in(other, "tina", "tina-password")
        assert other.get("/api/analytics/campaigns").json()["generated_at"] != table["generated_at"] and len(built) == 3


def test_the_chart_says_when_there_is_nothing_to_draw_and_keeps_a_hostile_name_as_text():
    assert "No campaign contacts yet" in campaigns_svg([])
    arm = {"contacts": 40, "conversion": 0.5, "conversion_ci95": [0.35, 0.65]}
    svg = campaigns_svg([{"name": "--><script>1</script>", "arms": {"treatment": arm, "holdout": arm}}])
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_a_dollar_sign_in_a_campaign_name_is_drawn_as_text_not_as_a_formula():
    arm = {"contacts": 40, "conversion": 0.5, "conversion_ci95": [0.35, 0.65]}
    svg = campaigns_svg([{"name": "50% off $\\foo$ ^_^", "arms": {"treatment": arm, "holdout": arm}}])
    assert "<svg" in svg
