"""Speed of a campaign over 100,000 customers: select the audience, decide each customer, render the e-mail.

    .venv/bin/python benchmarks/campaign_audience.py [--customers 100000] [--repeat 3] [--full-run]

A temporary SQLite database is filled first (not timed): customers with scores (churn probability spread over
0..1, a 12-month value, tier and segment), 1-4 orders each, 80 % consenting to e-mail, 1 % erased, 2 % with a
chat offer in the cool-down. Then, as a nightly run does it before writing anything:

1. selection: the rule's audience query (scores joined, orders aggregated, erased left out) and the cool-down
   query over chat offers, control decisions and campaign contacts;
2. decision: each candidate through retention.outreach_decision (holdout hash, best offer, policy), then the budget;
3. render: the offer e-mail (subject, text, HTML, three signed links) of every treated customer.

Baseline in the same process: a plain SELECT of the same customer and score rows with no filter, join to
orders or decision (the floor of reading the audience at all); the ratio says what the rest costs.
Each figure is the median of --repeat runs. --full-run also times one real run (contacts, e-mail rows and
webhook events written in batches) on the same database.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable

from sqlalchemy import insert, select

from kizuna.db import campaigns as repository
from kizuna.db.engine import get_engine, session_factory, session_scope
from kizuna.db.migrate import upgrade
from kizuna.db.models import Customer, CustomerScore, IssuedOffer, Order, RetentionDecision, TurnAnalysis
from kizuna.db.retention_records import last_offers_since
from kizuna.settings import Settings
from outreach import signed_links
from outreach.campaign_email import expiry_text, first_name
from outreach.campaign_runs import run_campaign
from outreach.campaign_selection import Plan, campaign_catalog, decide_all, holdout_salt, rule_filters
from outreach.email_render import render_offer_email
from retention.campaign_rule import parse_rule
from retention.policy import load_policy

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
RULE = {"min_churn_probability": 0.5, "min_days_since_order": 45}
SEGMENTS = ("steady", "deal_seeker", "early_adopter", "newcomer", "loyal")
CHUNK = 20_000


def seed(url: str, customers: int, rng: random.Random) -> None:
    """The synthetic shop, written with bulk inserts."""
    engine = get_engine(url)
    with engine.begin() as connection:
        people, scores, orders = [], [], []
        for number in range(1, customers + 1):
            value = round(rng.lognormvariate(5.0, 0.8), 2)
            erased = rng.random() < 0.01
            people.append({"id": number, "external_id": f"B{number:07d}", "name": f"Customer {number}",
                           "email": None if erased else f"b{number}@example.test", "created_at": NOW - timedelta(days=900),
                           "marketing_opt_in": rng.random() < 0.8, "erased_at": NOW if erased else None})
            scores.append({"customer_id": number, "churn_probability": round(rng.random(), 4), "predicted_value_12m": value,
                           "tier": "vip" if value >= 500 else "silver" if value >= 220 else "regular",
                           "segment": rng.choice(SEGMENTS), "scored_at": NOW})
            last = rng.randint(1, 400)
            for index in range(rng.randint(1, 4)):
                orders.append({"order_number": f"B{number}-{index}", "customer_id": number, "status": "delivered",
                               "total": Decimal("42.50"), "currency": "EUR",
                               "placed_at": NOW - timedelta(days=last + 35 * index)})
        for table, rows in ((Customer, people), (CustomerScore, scores), (Order, orders)):
            for start in range(0, len(rows), CHUNK):
                connection.execute(insert(table), rows[start:start + CHUNK])
    with session_scope(url) as session:  # 2 % had a chat offer ten days ago: in the cool-down
        for number in rng.sample(range(1, customers + 1), customers // 50):
            turn = TurnAnalysis(conversation_id=f"chat-{number}", turn_key="t1", customer_id=number, intent="complaint")
            session.add(turn)
            session.flush()
            decision = RetentionDecision(turn_analysis_id=turn.id, conversation_id=turn.conversation_id, customer_id=number,
                                         action="offer", offer_id="save10", explanation="at risk",
                                         created_at=NOW - timedelta(days=10))
            session.add(decision)
            session.flush()
            session.add(IssuedOffer(decision_id=decision.id, customer_id=number, conversation_id=turn.conversation_id,
                                    offer_id="save10", kind="discount", cost=6.0, offered_at=NOW - timedelta(days=10)))


def timed(step: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds of `repeat` calls, and the last result."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the median is shown")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--full-run", action="store_true", help="also time one real run that writes everything")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'campaign.db'}"
        upgrade(url)
        started = time.perf_counter()
        seed(url, args.customers, random.Random(args.seed))
        print(f"seeded {args.customers:,} customers in {time.perf_counter() - started:.1f} s (not timed below)")
        settings = Settings(var_dir=Path(folder) / "var", database_url=url, link_secret="benchmark-link-secret",
                            public_url="https://shop.example")
        policy = load_policy(settings.retention_policy_path)
        plan = Plan(rule=parse_rule(RULE), channel="email", offer_ids=None, holdout_share=0.1,
                    daily_budget=10_000_000.0, holdout_salt=holdout_salt(1), campaign_id=1)
        catalog = campaign_catalog(settings, None)
        sessions = session_factory(url)

        def baseline() -> list:
            with sessions() as session:
                return session.execute(select(Customer.id, Customer.external_id, Customer.email, Customer.marketing_opt_in,
                                              CustomerScore.churn_probability, CustomerScore.predicted_value_12m,
                                              CustomerScore.tier, CustomerScore.segment)
                                       .join(CustomerScore, CustomerScore.customer_id == Customer.id)).all()

        def selection() -> tuple:
            with sessions() as session:
                candidates = repository.audience_candidates(session, now=NOW, **rule_filters(plan.rule))
                return candidates, last_offers_since(session, NOW - timedelta(days=policy.offer_cooldown_days))

        baseline_seconds, rows = timed(baseline, args.repeat)
        select_seconds, (candidates, last_offers) = timed(selection, args.repeat)
        decide_seconds, decisions = timed(lambda: decide_all(candidates, last_offers, plan, catalog, policy, NOW, 0.0),
                                          args.repeat)
        treated = [(candidate, decision) for candidate, decision in zip(candidates, decisions) if decision.action == "contact"]
        render_seconds, _ = timed(lambda: render_all(settings, treated), args.repeat)

        work = select_seconds + decide_seconds + render_seconds
        actions = {action: sum(d.action == action for d in decisions) for action in ("contact", "holdout", "skip")}
        print(f"baseline: plain SELECT of {len(rows):,} customer+score rows   {baseline_seconds * 1000:8.0f} ms")
        print(f"selection: {len(candidates):,} candidates + cool-down map ({len(last_offers):,})  {select_seconds * 1000:8.0f} ms")
        print(f"decision: {len(decisions):,} customers ({actions['contact']:,} treated, {actions['holdout']:,} holdout, "
              f"{actions['skip']:,} skipped)  {decide_seconds * 1000:8.0f} ms "
              f"({decide_seconds / max(len(decisions), 1) * 1e6:.1f} us each)")
        print(f"render: {len(treated):,} e-mails   {render_seconds * 1000:8.0f} ms "
              f"({render_seconds / max(len(treated), 1) * 1e6:.0f} us each)")
        print(f"selection+decision+render: {work:.2f} s = {work / baseline_seconds:.1f} x the plain SELECT "
              f"(selection alone {select_seconds / baseline_seconds:.1f} x)")
        if args.full_run:
            full_run(url, settings, sessions)


def render_all(settings: Settings, treated: list) -> int:
    public_url, secret, day = settings.effective_public_url, settings.effective_link_secret, NOW.date()
    for contact_id, (candidate, decision) in enumerate(treated, start=1):
        render_offer_email(settings.campaign_templates_dir, first_name=first_name(f"Customer {candidate.customer_id}"),
                           shop_name="Kizuna Store", offer_text=decision.offer.text, code="KZ-ABCDEFGH",
                           expiry=expiry_text(day + timedelta(days=decision.offer.valid_days)),
                           click_url=signed_links.click_url(public_url, secret, contact_id),
                           open_url=signed_links.open_url(public_url, secret, contact_id),
                           unsubscribe_url=signed_links.unsubscribe_url(public_url, secret, candidate.customer_id, contact_id))
    return len(treated)


def full_run(url: str, settings: Settings, sessions) -> None:
    with session_scope(url) as session:
        campaign = repository.create_campaign(session, name="benchmark", rule=RULE, created_by="benchmark",
                                              daily_budget=10_000_000.0)
        repository.approve_campaign(session, campaign.id, "benchmark", NOW)
        campaign_id = campaign.id
    started = time.perf_counter()
    summary = run_campaign(sessions, settings, campaign_id, now=NOW, trigger="cli", started_by="benchmark")
    seconds = time.perf_counter() - started
    print(f"full run (writes contacts, e-mail rows, events): {summary['treatment']:,} treated, {summary['holdout']:,} "
          f"holdout, {summary['emails_queued']:,} e-mails in {seconds:.1f} s")
    started = time.perf_counter()
    again = run_campaign(sessions, settings, campaign_id, now=NOW + timedelta(hours=1), trigger="cli", started_by="benchmark")
    print(f"re-run the same day: {again['treatment'] + again['holdout']} new contacts, "
          f"{again['already_contacted']:,} already contacted, {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
