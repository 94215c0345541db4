"""Replay the demo shop's past support turns through the retention decision.

    .venv/bin/python benchmarks/retention_replay.py [--customers 1000]

Seeds a fresh demo shop in a temporary SQLite database, trains the churn model and scores the
customers, then runs the turn analysis' retention step on every past support turn (its sentiment
as the conversation's trend; offer caps and the daily budget as of the turn's day). Prints the decision rates, the
escalation rate by priority, the reasons, and the latency the step adds to a turn (p50/p95) against recording the turn
itself, measured in the same run. Each demo conversation has one analysed turn, so every escalation here comes from a
single turn: an explicit request, explicit anger, or a valuable customer at risk, never the sentiment of one message.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import select

from kizuna.settings import get_settings
from turn_core.retention_step import decide_for_turn
from churn.config import load_config
from kizuna.db.customer_profiles import read_profile
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.migrate import upgrade
from kizuna.db.models import TurnAnalysis
from kizuna.db.turns import Turn, record_turn
from operations.demo import seed_demo_shop
from sentiment.trend import load_trend_config, update_trend
from turn_core.customer_scoring import refresh_scores, train_from_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'replay.db'}"
        upgrade(url)
        today = date.today()
        with session_scope(url) as session:
            seed_demo_shop(session, customers=args.customers, today=today)
        train_from_database(url, today, load_config(get_settings().intelligence_config_path), Path(directory) / "churn")
        refresh_scores(url, today, load_config(get_settings().intelligence_config_path), Path(directory) / "churn")
        actions, reasons, priorities, decide_ms, record_ms = replay(url)
        get_engine(url).dispose()
    total = sum(actions.values())
    print(f"replayed {total} past support turns of {args.customers} demo customers")
    for action, count in actions.most_common():
        print(f"  {action:9} {count:5}  {count / total:6.1%}")
    escalated = actions["escalate"]
    print(f"escalation rate {escalated / total:.1%} ({escalated} of {total}); by priority: "
          + (", ".join(f"{priority} {count}" for priority, count in priorities.most_common()) or "none"))
    print("reasons:", ", ".join(f"{reason} {count}" for reason, count in reasons.most_common(10)))
    print(f"retention step: p50 {np.percentile(decide_ms, 50):.2f} ms, p95 {np.percentile(decide_ms, 95):.2f} ms")
    print(f"baseline, recording the turn: p50 {np.percentile(record_ms, 50):.2f} ms, p95 {np.percentile(record_ms, 95):.2f} ms;"
          f" ratio p50 {np.percentile(decide_ms, 50) / np.percentile(record_ms, 50):.1f}x")


def replay(url: str) -> tuple[Counter, Counter, Counter, list[float], list[float]]:
    actions, reasons, priorities, decide_ms, record_ms = Counter(), Counter(), Counter(), [], []
    config = load_trend_config(get_settings().trend_config_path)
    with session_scope(url) as session:
        turns = session.scalars(select(TurnAnalysis).order_by(TurnAnalysis.created_at)).all()
        for index, past in enumerate(turns):
            started = time.perf_counter()
            row, _ = record_turn(session, Turn(past.conversation_id, f"replay-{index}", past.message_text or "", past.intent, 1.0))
            record_ms.append((time.perf_counter() - started) * 1000)
            row.customer_id, row.sentiment_score = past.customer_id, past.sentiment_score
            row.customer_profile = _profile(session, past.customer_id)
            trend = update_trend(None, past.sentiment_score or 0.0, config)
            started = time.perf_counter()
            decision = decide_for_turn(session, row, trend, now=_aware(past.created_at))  # caps and budget as of that day
            decide_ms.append((time.perf_counter() - started) * 1000)
            actions[decision.action] += 1
            reasons.update(decision.reasons)
            if decision.action == "escalate":
                priorities[decision.priority] += 1
    return actions, reasons, priorities, decide_ms, record_ms


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _profile(session, customer_id):  # type: ignore[no-untyped-def]
    profile = read_profile(session, customer_id) if customer_id else None
    return profile.to_dict() if profile else None


if __name__ == "__main__":
    main()
