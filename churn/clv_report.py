"""`kizuna clv fit` on a purchase-log file: parameters, holdout check, per-customer predictions."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import pandas as pd

from churn import clv
from churn.transactions import read_transactions


def fit_file(path: Path, customer_col: str, date_col: str, amount_col: str, calibration_end: Optional[date],
             holdout_end: Optional[date], date_format: Optional[str], out: Optional[Path]) -> dict:
    transactions = read_transactions(path, customer_col, date_col, amount_col, date_format)
    last_day = transactions["date"].max().date()
    calibration_end = calibration_end or last_day
    if holdout_end is not None and holdout_end <= calibration_end:
        raise ValueError("--holdout-end must be after --calibration-end")
    calibration = transactions[transactions["date"] <= pd.Timestamp(calibration_end)]
    if calibration.empty:
        raise ValueError(f"no purchases on or before the calibration end {calibration_end}")
    summary = clv.summarise(calibration, calibration_end)
    model = clv.fit(summary)
    report = {
        "transactions": int(len(transactions)),
        "customers": model.customers,
        "calibration_end": str(calibration_end),
        "time_unit": f"{model.time_unit_days} days",
        "bgnbd": {k: round(v, 4) for k, v in model.bgnbd.items()},
        "gamma_gamma": None if model.gamma_gamma is None else {k: round(v, 4) for k, v in model.gamma_gamma.items()},
    }
    if holdout_end is not None:
        report["holdout"] = {"end": str(holdout_end), **clv.holdout_comparison(model, transactions, calibration_end, holdout_end)}
    if out is not None:
        _write_predictions(model, summary, out)
        report["predictions"] = str(out)
    return report


def _write_predictions(model: clv.ClvModel, summary: pd.DataFrame, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({
        "expected_orders_12m": model.expected_purchases(summary, clv.YEAR_DAYS).round(3),
        "predicted_value_12m": model.expected_value(summary).round(2),
    }).rename_axis("customer").to_csv(out)
