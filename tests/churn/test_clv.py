"""Lifetime value: the published CDNOW parameters, recovery on simulated data, and file errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from churn import clv
from churn.tabular_input import InputError
from churn.transactions import read_transactions
from operations.cli import main

CDNOW = Path(__file__).resolve().parents[3] / "shared" / "data" / "cdnow" / "CDNOW_sample.txt"
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # Fader, Hardie & Lee (2005)


@pytest.mark.skipif(not CDNOW.exists(), reason=f"the CDNOW sample is not on this machine ({CDNOW})")
def test_cdnow_reproduces_the_published_bgnbd_parameters(tmp_path):
    out = tmp_path / "values.csv"
    result = CliRunner().invoke(main, [
        "clv", "fit", "--transactions", str(CDNOW), "--customer-col", "1", "--date-col", "3", "--amount-col", "5",
        "--date-format", "%Y%m%d", "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["customers"] == 2357
    for name, published in PUBLISHED.items():
        assert report["bgnbd"][name] == pytest.approx(published, rel=0.02), name
    holdout = report["holdout"]
    assert holdout["per_customer"]["correlation"] > 0.5 and abs(holdout["total"]["relative_error"]) < 0.2
    values = pd.read_csv(out)
    assert len(values) == 2357 and (values["predicted_value_12m"] >= 0).all()


def simulate_bgnbd(customers: int, weeks: float, seed: int) -> pd.DataFrame:
    """Purchases from the BG/NBD story with known parameters (r=0.5, alpha=5, a=1, b=3)."""
    rng = np.random.default_rng(seed)
    rows = []
    for customer in range(customers):
        rate, dropout = rng.gamma(0.5, 1 / 5.0), rng.beta(1.0, 3.0)
        t, start = 0.0, pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 30)))
        rows.append((customer, start, rng.gamma(5, 10)))
        while True:
            t += rng.exponential(1 / rate)
            if t > weeks - start.day / 7:
                break
            rows.append((customer, start + pd.Timedelta(days=int(t * 7)), rng.gamma(5, 10)))
            if rng.random() < dropout:
                break
    return pd.DataFrame(rows, columns=["customer", "date", "amount"])


def test_simulated_parameters_are_recovered():
    transactions = simulate_bgnbd(3000, 52, seed=3)
    end = date(2025, 1, 31)
    model = clv.fit(clv.summarise(transactions, end))
    assert model.bgnbd["r"] == pytest.approx(0.5, rel=0.25) and model.bgnbd["alpha"] == pytest.approx(5, rel=0.3)
    values = model.expected_value(clv.summarise(transactions, end))
    assert (values >= 0).all() and values.sum() > 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("customer,date,amount\n", "has a header but no rows"),
        ("customer,date,amount\n1,2024-01-01,5\n2,2024-13-45,5\n", "row 3, column 'date': not a date"),
        ("customer,date,amount\n1,2024-01-01,-5\n", "row 2, column 'amount': a negative amount"),
        ("customer,date,amount\n1,2024-01-01,five\n", "row 2, column 'amount': not a number"),
        ("customer,day,amount\n1,2024-01-01,5\n", "missing column(s) date"),
    ],
)
def test_bad_transaction_files(tmp_path, text, message):
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_transactions(path, "customer", "date", "amount")


def test_cli_reports_errors_without_traceback(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("customer,date,amount\n1,someday,5\n")
    result = CliRunner().invoke(main, ["clv", "fit", "--transactions", str(path), "--customer-col", "customer",
                                       "--date-col", "date", "--amount-col", "amount"])
    assert result.exit_code == 1 and "row 2, column 'date'" in result.output and "Traceback" not in result.output
