"""Churn from the app database (time split) and from any customer table (cross-validated)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from kizuna.settings import get_settings
from churn.any_table import cross_validate, prepare
from churn.config import load_config
from churn.model import ChurnModelError, train_and_evaluate
from churn.tabular_input import InputError
from operations.cli import main
from kizuna.db.customer_profiles import read_profile
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.migrate import upgrade
from kizuna.db.models import Customer, CustomerScore
from operations.demo import seed_demo_shop
from turn_core.customer_scoring import load_history, refresh_scores, scores_are_fresh, train_from_database

TODAY = date(2026, 11, 1)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_shop(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('churn') / 'shop.db'}"
    upgrade(url)
    with session_scope(url) as session:
        seed_demo_shop(session, customers=500, seed=11, today=TODAY)
    return url


@pytest.fixture(scope="module")
def trained(demo_shop, tmp_path_factory) -> tuple[dict, Path]:
    model_dir = tmp_path_factory.mktemp("churn-model")
    return train_from_database(demo_shop, TODAY, load_config(get_settings().intelligence_config_path), model_dir), model_dir


def test_time_split_training_finds_the_hidden_propensity(trained):
    report, model_dir = trained
    assert report["evaluation_cutoff"] == "2026-08-03" and report["training"]["cutoffs"][0] == "2026-05-05"
    assert report["roc_auc"] >= 0.75 and report["roc_auc"] > report["recency_only_roc_auc"]
    assert 0 < report["brier"] < 0.25 and report["pr_auc"] > report["churn_rate"]
    assert len(report["strongest_features"]) == 8
    assert (model_dir / "model.joblib").exists() and (model_dir / "model_card.json").exists()


def test_scoring_stores_every_customer_and_a_turn_can_read_it(demo_shop, trained):
    assert not scores_are_fresh(demo_shop)
    summary = refresh_scores(demo_shop, TODAY, load_config(get_settings().intelligence_config_path), trained[1])
    assert summary["customers"] == 500 and set(summary["tiers"]) <= {"regular", "silver", "vip"}
    assert scores_are_fresh(demo_shop)
    with session_scope(demo_shop) as session:
        scores = session.scalars(select(CustomerScore)).all()
        probabilities = [s.churn_probability for s in scores if s.churn_probability is not None]
        assert len(probabilities) >= 450 and all(0 <= p <= 1 for p in probabilities)
        assert all(s.predicted_value_12m is None or s.predicted_value_12m >= 0 for s in scores)
        profile = read_profile(session, scores[0].customer_id)
        assert profile.tier in ("regular", "silver", "vip") and profile.segment
        assert read_profile(session, 10**9) is None


def test_too_little_history_is_a_clear_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'small.db'}"
    upgrade(url)
    with session_scope(url) as session:
        seed_demo_shop(session, customers=20, today=TODAY)
    with get_engine(url).connect() as connection:
        history = load_history(connection)
    with pytest.raises(ChurnModelError, match="need at least 50"):
        train_and_evaluate(history, TODAY, load_config(get_settings().intelligence_config_path))


def subscription_table(rows: int = 1500, seed: int = 5) -> pd.DataFrame:
    """A telecom-like table: churn driven by contract, tenure and charges, with noise, blanks and an id."""
    rng = np.random.default_rng(seed)
    contract = rng.choice(["month-to-month", "one year", "two year"], rows, p=[0.55, 0.25, 0.2])
    tenure = rng.integers(1, 72, rows)
    charges = rng.normal(70, 25, rows).clip(18, 120).round(2)
    support = rng.choice(["yes", "no"], rows)
    risk = -1.5 + 1.6 * (contract == "month-to-month") - 0.04 * tenure + 0.02 * (charges - 70) + 0.5 * (support == "no")
    churned = rng.random(rows) < 1 / (1 + np.exp(-risk))
    total = (charges * tenure).round(2).astype(str)
    total[rng.random(rows) < 0.01] = " "  # blanks, as in real exports
    return pd.DataFrame({"customerID": [f"{i:04d}-{chr(65 + i % 26)}" for i in range(rows)], "Contract": contract,
                         "tenure": tenure, "MonthlyCharges": charges, "TotalCharges": total, "TechSupport": support,
                         "Churn": np.where(churned, "Yes", "No")})


def test_any_table_cross_validates_and_leaves_out_ids(tmp_path):
    path = tmp_path / "subscriptions.csv"
    subscription_table().to_csv(path, index=False)
    table = prepare(path, "Churn", None)
    assert "customerID" in table.dropped and "TotalCharges" in table.numeric and "Contract" in table.categorical
    report = cross_validate(table, folds=3)
    assert report["roc_auc"] > 0.7 and abs(report["roc_auc"] - report["baseline_logistic_roc_auc"]) < 0.05


def test_any_table_cli_trains_then_scores(tmp_path):
    path, model = tmp_path / "subscriptions.csv", tmp_path / "model.joblib"
    subscription_table(300).to_csv(path, index=False)
    runner = CliRunner()
    result = runner.invoke(main, ["churn", "train", "--data", str(path), "--label", "Churn", "--id", "customerID",
                                  "--folds", "2", "--out", str(model)])
    assert result.exit_code == 0, result.output
    scored = runner.invoke(main, ["churn", "score", "--data", str(path), "--model", str(model)])
    assert scored.exit_code == 0, scored.output
    lines = list(csv.reader(scored.output.splitlines()))
    assert lines[0] == ["id", "probability"] and len(lines) == 301 and lines[1][0] == "0000-A"
    assert all(0 <= float(p) <= 1 for _, p in lines[1:])


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.assign(Churn="No"), "one class only"),
        (lambda t: t.drop(columns=["Churn"]), "no label column 'Churn'"),
        (lambda t: t.assign(Churn=t["Churn"].where(t.index != 3, "")), "row 5, column 'Churn': the label is blank"),
        (lambda t: t.assign(Churn=t["Churn"].where(t.index != 3, "Maybe")), "3 different values"),
        (lambda t: t.iloc[:0], "has a header but no rows"),
    ],
)
def test_any_table_errors(tmp_path, edit, message):
    path = tmp_path / "bad.csv"
    edit(subscription_table(60)).to_csv(path, index=False)
    with pytest.raises(InputError, match=message):
        prepare(path, "Churn", None)


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "dup.csv"
    table = subscription_table(60)
    table.loc[7, "customerID"] = table.loc[2, "customerID"]
    table.to_csv(path, index=False)
    with pytest.raises(InputError, match="row 9, column 'customerID': duplicate id"):
        prepare(path, "Churn", "customerID")


def test_cli_errors_have_no_traceback(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    result = CliRunner().invoke(main, ["churn", "train", "--data", str(path), "--label", "Churn"])
    assert result.exit_code == 1 and "the file is empty" in result.output and "Traceback" not in result.output
