"""Customer lifetime value: BG/NBD repeat purchases with Gamma-Gamma spend, fitted by `lifetimes`.

`lifetimes` is archived but complete and runs on current pandas; `pymc-marketing`, its maintained
successor, needs Python 3.12+ and a PyMC stack we do not otherwise need (see docs/trainers.md). Everything
outside this module talks to `ClvModel` only, so swapping the library later touches one file.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import asdict, dataclass
from datetime import date
from typing import Optional

import numpy as np
import pandas as pd

with warnings.catch_warnings():  # lifetimes sets a pandas option that pandas 3 deprecates; harmless
    warnings.simplefilter("ignore")
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data

YEAR_DAYS = 365


class ClvError(ValueError):
    """The transactions cannot give a lifetime-value model."""


@dataclass(frozen=True)
class ClvModel:
    bgnbd: dict[str, float]  # r, alpha, a, b
    gamma_gamma: Optional[dict[str, float]]  # p, q, v; None when no customer bought twice with a positive amount
    time_unit_days: int
    customers: int

    def expected_purchases(self, summary: pd.DataFrame, horizon_days: float) -> pd.Series:
        fitter = BetaGeoFitter()
        fitter.params_ = pd.Series(self.bgnbd)
        with np.errstate(all="ignore"):
            return fitter.conditional_expected_number_of_purchases_up_to_time(
                horizon_days / self.time_unit_days, summary["frequency"], summary["recency"], summary["T"])

    def expected_spend_per_order(self, summary: pd.DataFrame) -> pd.Series:
        if self.gamma_gamma is None:
            return summary["monetary_value"].where(summary["frequency"] > 0, np.nan).fillna(0.0)
        fitter = GammaGammaFitter()
        fitter.params_ = pd.Series(self.gamma_gamma)
        return fitter.conditional_expected_average_profit(summary["frequency"], summary["monetary_value"])

    def expected_value(self, summary: pd.DataFrame, horizon_days: float = YEAR_DAYS) -> pd.Series:
        return self.expected_purchases(summary, horizon_days) * self.expected_spend_per_order(summary)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ClvModel":
        return cls(**data)


def summarise(transactions: pd.DataFrame, observation_end: date, time_unit_days: int = 7) -> pd.DataFrame:
    """frequency (repeat purchase days), recency and T (in time units), mean repeat spend, per customer.

    Purchases on the same day count as one, as in Fader, Hardie & Lee (2005).
    """
    summary = summary_data_from_transaction_data(
        transactions, "customer", "date", monetary_value_col="amount",
        observation_period_end=pd.Timestamp(observation_end), freq="D")
    summary["recency"] /= time_unit_days
    summary["T"] /= time_unit_days
    return summary


def fit(summary: pd.DataFrame, time_unit_days: int = 7, max_customers: Optional[int] = None, seed: int = 13) -> ClvModel:
    """Fit both models; with `max_customers`, on a seeded random sample (the parameters describe the
    population, and a few thousand customers pin them down while fitting stays fast)."""
    if max_customers is not None and len(summary) > max_customers:
        summary = summary.sample(max_customers, random_state=seed)
    if len(summary) < 10:
        raise ClvError(f"only {len(summary)} customers; a purchase model needs at least 10")
    if (summary["frequency"] > 0).sum() == 0:
        raise ClvError("no customer bought twice; repeat-purchase rates cannot be estimated")
    bgnbd = _fit_with_fallback(BetaGeoFitter, summary["frequency"], summary["recency"], summary["T"])
    if bgnbd is None:
        raise ClvError("the purchase model did not converge on these transactions")
    return ClvModel(
        bgnbd=bgnbd,
        gamma_gamma=_fit_spend(summary),
        time_unit_days=time_unit_days,
        customers=int(len(summary)),
    )


def _fit_spend(summary: pd.DataFrame) -> Optional[dict[str, float]]:
    repeaters = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    if len(repeaters) < 10:
        return None
    return _fit_with_fallback(GammaGammaFitter, repeaters["frequency"], repeaters["monetary_value"])


def _fit_with_fallback(fitter_class: type, *columns: pd.Series) -> Optional[dict[str, float]]:
    """Maximum likelihood first; a touch of L2 penalty only when the optimiser fails to converge."""
    for penalty in (0.0, 0.001, 0.01):
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore", RuntimeWarning)
                fitted = fitter_class(penalizer_coef=penalty).fit(*columns)
        except ConvergenceError:
            continue
        return {k: float(v) for k, v in fitted.params_.items()}
    return None


def holdout_comparison(model: ClvModel, transactions: pd.DataFrame, calibration_end: date, holdout_end: date) -> dict:
    """Predicted against actual repeat purchases in (calibration_end, holdout_end], per customer and in total."""
    calibration = summarise(transactions[transactions["date"] <= pd.Timestamp(calibration_end)], calibration_end, model.time_unit_days)
    later = transactions[(transactions["date"] > pd.Timestamp(calibration_end)) & (transactions["date"] <= pd.Timestamp(holdout_end))]
    actual = later.assign(day=later["date"].dt.normalize()).drop_duplicates(["customer", "day"]).groupby("customer").size()
    actual = actual.reindex(calibration.index, fill_value=0)
    predicted = model.expected_purchases(calibration, (pd.Timestamp(holdout_end) - pd.Timestamp(calibration_end)).days)
    return {
        "customers": int(len(calibration)),
        "per_customer": {
            "correlation": round(float(np.corrcoef(predicted, actual)[0, 1]), 4),
            "mean_absolute_error": round(float(np.abs(predicted - actual).mean()), 4),
        },
        "total": {"predicted": round(float(predicted.sum()), 1), "actual": int(actual.sum()),
                  "relative_error": round(float((predicted.sum() - actual.sum()) / max(actual.sum(), 1)), 4)},
    }
