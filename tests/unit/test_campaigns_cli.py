"""`kizuna campaigns` on a real SQLite database: create with a checked rule, preview, approve, run by name or all
for cron, show; clear errors that leave nothing half-saved."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from kizuna.db.engine import get_engine, session_scope
from kizuna.db.models import Campaign, CampaignContact, Customer, CustomerScore, Order, OutboundEmail
from kizuna.settings import get_settings
from operations.cli import main


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str):
    monkeypatch.setenv("KIZUNA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("KIZUNA_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("KIZUNA_LINK_SECRET", "link-secret-for-tests")
    get_settings.cache_clear()
    now = datetime.now(timezone.utc)
    with session_scope(sqlite_url) as session:
        for number in range(12):
            customer = Customer(external_id=f"C{number}", name=f"Customer {number}", email=f"c{number}@example.test",
                                marketing_opt_in=number != 0)
            session.add(customer)
            session.flush()
            session.add(CustomerScore(customer_id=customer.id, churn_probability=0.8, predicted_value_12m=320.0,
                                      tier="silver", segment="steady"))
            session.add(Order(order_number=f"O{number}", customer_id=customer.id, status="delivered",
                              total=Decimal("50.00"), placed_at=now - timedelta(days=60)))
    yield sqlite_url
    get_engine(sqlite_url).dispose()
    get_settings.cache_clear()


def kizuna(*args: str):
    return CliRunner().invoke(main, ["campaigns", *args])


def count(url: str, model) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_create_preview_approve_run_and_show(database, tmp_path):
    rule = tmp_path / "rule.json"
    rule.write_text('{"min_churn_probability": 0.6, "min_days_since_order": 45}', encoding="utf-8")

    created = kizuna("create", "--name", "Win back", "--rule", f"@{rule}", "--holdout", "0", "--budget", "48")
    assert created.exit_code == 0, created.output
    assert "Win back [draft]: email, holdout 0%, budget 48 a day" in created.output

    preview = kizuna("preview", "Win back")
    assert preview.exit_code == 0, preview.output
    figures = json.loads(preview.output)
    assert (figures["audience"], figures["treatment"], figures["skipped"]) == (12, 8, {"budget": 3, "no_consent": 1})

    unapproved = kizuna("run", "Win back")
    assert unapproved.exit_code == 1 and "is draft: approve it before it runs" in unapproved.output
    approved = kizuna("approve", "Win back", "--by", "ops")
    assert approved.exit_code == 0 and "[active]" in approved.output

    ran = kizuna("run", "Win back", "--by", "ops")
    assert ran.exit_code == 0, ran.output
    summary = json.loads(ran.output)
    assert (summary["status"], summary["treatment"], summary["emails_queued"]) == ("done", 8, 8)
    assert count(database, OutboundEmail) == 8

    nightly = kizuna("run", "--all")
    assert nightly.exit_code == 0, nightly.output
    assert json.loads(nightly.output.splitlines()[0])["already_contacted"] == 8
    assert count(database, OutboundEmail) == 8  # nothing sent twice

    shown = kizuna("show", "Win back", "--json")
    runs = json.loads(shown.output)["runs"]
    assert [(run["trigger"], run["started_by"], run["status"]) for run in runs] == [("schedule", "schedule", "done"), ("cli", "ops", "done")]
    listed = kizuna("list")
    assert "Win back [active]" in listed.output and "last run" in listed.output
    assert "e-mail: 8 queued, 0 sent, 0 parked, 0 cancelled" in listed.output


@pytest.mark.parametrize("args, message", [
    (["--rule", '{"min_tier": "gold"}'], "min_tier must be one of regular, silver, vip"),
    (["--rule", '{"min_churn": 0.5}'], "unknown rule key(s): min_churn"),
    (["--rule", "{}"], "at least one key"),
    (["--rule", '{"min_churn_probability": 0.5'], "not valid JSON"),
    (["--rule", "@/nonexistent/rule.json"], "cannot read the rule file"),
    (["--rule", '{"min_churn_probability": 0.5}', "--holdout", "0.8"], "holdout_share"),
    (["--rule", '{"min_churn_probability": 0.5}', "--budget", "-1"], "daily_budget"),
    (["--rule", '{"min_churn_probability": 0.5}', "--budget", "2000000"], "daily_budget must be between 0 and 1,000,000"),
    (["--rule", '{"min_churn_probability": 0.5}', "--offers", "save10,free_car"], "free_car"),
    (["--rule", '{"min_churn_probability": 0.5}', "--name", " "], "name"),
])
def test_a_bad_campaign_is_refused_clearly_and_nothing_is_saved(database, args, message):
    arguments = ["create", "--name", "Bad", *args] if "--name" not in args else ["create", *args]
    result = kizuna(*arguments)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert count(database, Campaign) == 0


def test_run_needs_a_name_or_all_and_a_known_campaign(database):
    assert kizuna("run").exit_code == 2
    unknown = kizuna("run", "nope")
    assert unknown.exit_code == 1 and "no campaign named 'nope'" in unknown.output
    kizuna("create", "--name", "Draft", "--rule", '{"min_churn_probability": 0.5}')
    draft = kizuna("run", "Draft")
    assert draft.exit_code == 1 and "approve it before it runs" in draft.output
    assert count(database, CampaignContact) == 0


def test_nightly_run_exits_with_1_when_a_campaign_fails(database, monkeypatch):
    kizuna("create", "--name", "Mail", "--rule", '{"min_churn_probability": 0.5}')
    kizuna("approve", "Mail")
    monkeypatch.setenv("KIZUNA_LINK_SECRET", "")
    monkeypatch.setenv("KIZUNA_VAR_DIR", str(Path(database.removeprefix("sqlite:///")).parent / "empty-var"))
    get_settings.cache_clear()
    result = kizuna("run", "--all")
    assert result.exit_code == 1
    assert json.loads(result.output.splitlines()[0])["error"].startswith("CampaignNotRunnable: campaign e-mail needs a link secret")
