"""Speed of customer intelligence at scale: scoring 100,000 customers, and the in-turn read.

    .venv/bin/python benchmarks/customer_scoring.py [--customers 100000]

1. Refresh, as `refresh_scores` runs it: load the customers' history (orders, weekly engagement,
   support contacts, turn sentiment) from the database (SQLite), compute features, calibrated churn
   probability, BG/NBD + Gamma-Gamma value, tier and segment, and write every row into
   customer_scores. The synthetic history is written into the database first (not timed). It prints
   each step's time and the read's share of the refresh. Baseline in the same run: the write alone
   (the floor of any refresh), so the ratio says what the read and the models add.
2. In-turn read: p50/p95 of reading one customer's precomputed profile by primary key, against
   a bare `SELECT 1` through the same session.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Table, insert, text
from sqlalchemy.engine import Connection

from kizuna.settings import get_settings
from churn.config import load_config
from churn.features import churn_labels, customer_features
from churn.history import CustomerHistory
from churn.order_status import STEPS
from churn.model import make_classifier
from churn.scoring import score_customers
from kizuna.db.customer_profiles import read_profile
from kizuna.db.customer_scores import store_scores
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.migrate import upgrade
from kizuna.db.models import Conversation, Customer, EngagementEvent, Order, TurnAnalysis
from turn_core.customer_scoring import load_history

TODAY = date(2026, 11, 1)
CHUNK = 50_000  # rows per INSERT batch


def synthetic_history(customers: int, seed: int = 1) -> CustomerHistory:
    """A large history made with numpy: ~6 orders per customer over two years, weekly engagement for 4 months."""
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(TODAY)
    ids = np.arange(1, customers + 1)
    signed_up = end - pd.to_timedelta(rng.integers(30, 730, customers), unit="D")
    counts = 1 + rng.poisson(5, customers)
    owner = np.repeat(ids, counts)
    age = rng.random(len(owner)) * (end - signed_up[owner - 1]).days.to_numpy()
    orders = pd.DataFrame({"customer_id": owner, "placed": end - pd.to_timedelta(age.astype(int), unit="D"),
                           "total": rng.gamma(4, 15, len(owner)).round(2),
                           "on_discount": rng.random(len(owner)) < 0.3, "new_product": rng.random(len(owner)) < 0.2,
                           **{step: pd.NaT for step in STEPS}})
    weeks = np.tile(np.arange(17), customers)
    week_owner = np.repeat(ids, 17)
    days = end - pd.to_timedelta(weeks * 7, unit="D")
    events = pd.concat([
        pd.DataFrame({"customer_id": week_owner, "kind": kind, "day": days, "count": rng.poisson(mean, len(weeks))})
        for kind, mean in (("visit", 2.0), ("email_sent", 1.0), ("email_opened", 0.4))
    ])
    contact_owner = rng.choice(ids, customers // 5)
    started = end - pd.to_timedelta(rng.integers(0, 365, len(contact_owner)), unit="D")
    contacts = pd.DataFrame({"customer_id": contact_owner, "conversation_id": np.arange(len(contact_owner)).astype(str),
                             "started": started, "escalated_at": started.where(rng.random(len(contact_owner)) < 0.1)})
    turns = pd.DataFrame({"customer_id": contact_owner, "at": started, "sentiment": rng.uniform(-1, 1, len(contact_owner))})
    customers_frame = pd.DataFrame({"customer_id": ids, "signed_up": signed_up})
    return CustomerHistory(customers_frame, orders[orders["placed"] <= end], events[events["count"] > 0], contacts, turns)


def small_model(history: CustomerHistory):
    """A churn model fitted on 5,000 customers at an earlier cutoff (training speed is not measured here)."""
    cutoff = date(2026, 8, 3)
    features = customer_features(history, cutoff).iloc[:5000]
    return make_classifier().fit(features, churn_labels(history, features.index, cutoff, 90))


def database_with_history(directory: Path, history: CustomerHistory) -> str:
    """A fresh SQLite database holding `history` in the app's tables, as refresh_scores reads them."""
    url = f"sqlite:///{directory / 'bench.db'}"
    upgrade(url)
    customers, orders, events, contacts, turns = (history.customers, history.orders, history.events,
                                                  history.contacts, history.turns)
    tables = [
        (Customer, {"id": customers["customer_id"], "external_id": "B" + customers["customer_id"].astype(str),
                    "name": "Customer " + customers["customer_id"].astype(str), "created_at": _datetimes(customers["signed_up"])}),
        (Order, {"customer_id": orders["customer_id"], "order_number": "N" + pd.RangeIndex(len(orders)).astype(str),
                 "status": "placed", "total": orders["total"], "placed_at": _datetimes(orders["placed"]),
                 "on_discount": orders["on_discount"], "new_product": orders["new_product"]}),
        (EngagementEvent, {"customer_id": events["customer_id"], "kind": events["kind"], "occurred_on": events["day"].dt.date,
                           "count": events["count"]}),
        (Conversation, {"id": contacts["conversation_id"], "customer_id": contacts["customer_id"], "status": "resolved",
                        "created_at": _datetimes(contacts["started"]), "updated_at": _datetimes(contacts["started"]),
                        "escalated_at": _datetimes(contacts["escalated_at"])}),
        (TurnAnalysis, {"conversation_id": contacts["conversation_id"], "turn_key": "t1", "customer_id": turns["customer_id"],
                        "text": "", "entities": [[]] * len(turns), "sentiment_score": turns["sentiment"],
                        "created_at": _datetimes(turns["at"])}),
    ]
    with get_engine(url).begin() as connection:
        for model, columns in tables:
            _insert_frame(connection, model.__table__, pd.DataFrame(columns))
    return url


def _datetimes(column: pd.Series) -> pd.Series:
    """Naive UTC timestamps as datetimes (None for NaT), what the DateTime columns take."""
    return column.astype(object).where(column.notna(), None)


def _insert_frame(connection: Connection, table: Table, frame: pd.DataFrame) -> None:
    records = frame.astype(object).to_dict("records")
    for start in range(0, len(records), CHUNK):
        connection.execute(insert(table), records[start:start + CHUNK])


def read_latencies(url: str, customers: int, reads: int = 2000) -> tuple[list[float], list[float]]:
    rng = np.random.default_rng(2)
    profile_ms, baseline_ms = [], []
    with session_scope(url) as session:
        for customer_id in rng.integers(1, customers + 1, reads):
            started = time.perf_counter()
            session.execute(text("SELECT 1")).scalar()
            baseline_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            read_profile(session, int(customer_id))
            profile_ms.append((time.perf_counter() - started) * 1000)
            session.expunge_all()  # every read goes to the database, as in a fresh turn
    return profile_ms, baseline_ms


def timed_refresh(engine, model) -> dict:  # type: ignore[no-untyped-def]
    """The refresh as refresh_scores does it (read, score, write), each step timed."""
    started = time.perf_counter()
    with engine.connect() as connection:
        history = load_history(connection)
    read = time.perf_counter()
    scores = score_customers(history, TODAY, load_config(get_settings().intelligence_config_path), model)
    scored = time.perf_counter()
    with engine.begin() as connection:
        store_scores(connection, scores, "bench")
    written = time.perf_counter()
    return {"scores": scores, "orders_read": len(history.orders), "events_read": len(history.events),
            "read_s": read - started, "scoring_s": scored - read, "write_s": written - scored, "total_s": written - started}


def p(values: list[float], share: float) -> float:
    return float(np.percentile(values, share * 100))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()
    print(f"building a synthetic history of {args.customers:,} customers...", flush=True)
    history = synthetic_history(args.customers)
    model = small_model(history)
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        url = database_with_history(Path(directory), history)
        print(f"history written into the database in {time.perf_counter() - started:.1f} s (not timed below): "
              f"orders {len(history.orders):,}, engagement rows {len(history.events):,}, contacts {len(history.contacts):,}, "
              f"turns {len(history.turns):,}", flush=True)
        engine = get_engine(url)
        refresh = timed_refresh(engine, model)
        started = time.perf_counter()
        with engine.begin() as connection:
            store_scores(connection, refresh["scores"], "bench")
        write_only = time.perf_counter() - started
        total, read = refresh["total_s"], refresh["read_s"]
        print(f"refresh of {len(refresh['scores']):,} customers: {total:.2f} s = read from the database {read:.2f} s "
              f"({read / total:.0%} of the refresh; {refresh['orders_read']:,} orders, {refresh['events_read']:,} engagement rows) "
              f"+ features + models {refresh['scoring_s']:.2f} s + write {refresh['write_s']:.2f} s")
        print(f"baseline, write only: {write_only:.2f} s; ratio refresh / write-only: {total / write_only:.1f}x")
        profile_ms, baseline_ms = read_latencies(url, args.customers)
        print(f"in-turn profile read: p50 {p(profile_ms, .5):.3f} ms, p95 {p(profile_ms, .95):.3f} ms")
        print(f"baseline SELECT 1:     p50 {p(baseline_ms, .5):.3f} ms, p95 {p(baseline_ms, .95):.3f} ms;"
              f" ratio p50 {p(profile_ms, .5) / p(baseline_ms, .5):.1f}x")
        engine.dispose()


if __name__ == "__main__":
    main()
