"""The database-backed churn jobs: train from the app database, refresh every customer's scores."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import Connection

from churn.config import IntelligenceConfig
from churn.history import CustomerHistory, history_from_tables
from churn.model import load_model, save_model, train_and_evaluate
from churn.scoring import score_customers
from kizuna.db.customer_history import read_history_tables
from kizuna.db.customer_scores import score_coverage, store_scores
from kizuna.db.engine import get_engine


def load_history(connection: Connection) -> CustomerHistory:
    """The customer base's history (churn.history) read from the app database in a few queries."""
    tables = read_history_tables(connection)
    return history_from_tables(tables.customers, tables.orders, tables.events, tables.contacts, tables.turns)


def train_from_database(url: str, today: date, config: IntelligenceConfig, model_dir: Path) -> dict:
    with get_engine(url).connect() as connection:
        history = load_history(connection)
    started = time.monotonic()
    model, report = train_and_evaluate(history, today, config)
    card = save_model(model, report, model_dir, config)
    return {"version": card["version"], "training_seconds": round(time.monotonic() - started, 1), **report}


def refresh_scores(url: str, today: date, config: IntelligenceConfig, model_dir: Path) -> dict:
    """Score every customer and replace the stored scores; without a churn model only value, tier and segment."""
    started = time.monotonic()
    model, version = _model_if_trained(model_dir)
    engine = get_engine(url)
    with engine.connect() as connection:
        history = load_history(connection)
    scores = score_customers(history, today, config, model)
    with engine.begin() as connection:
        stored = store_scores(connection, scores, version)
    return {
        "customers": stored,
        "churn_model": version,
        "mean_churn_probability": None if scores["churn_probability"].isna().all() else round(float(scores["churn_probability"].mean()), 4),
        "tiers": scores["tier"].value_counts().to_dict(),
        "segments": scores["segment"].value_counts().to_dict(),
        "seconds": round(time.monotonic() - started, 2),
    }


def scores_are_fresh(url: str, max_age: timedelta = timedelta(hours=24)) -> bool:
    """True when every customer has a score younger than `max_age` (or there are no customers)."""
    with get_engine(url).connect() as connection:
        customers, scored, oldest = score_coverage(connection)
    if customers == 0:
        return True
    if scored < customers or oldest is None:
        return False
    oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc) - oldest < max_age


def _model_if_trained(model_dir: Path) -> tuple[Optional[object], Optional[str]]:
    try:
        model, card = load_model(model_dir)
    except FileNotFoundError:
        return None, None
    return model, card["version"]
