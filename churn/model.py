"""The churn model: a calibrated scikit-learn pipeline, trained and judged on time-ordered snapshots."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.pipeline import make_pipeline
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from churn.config import IntelligenceConfig
from churn.features import FEATURE_COLUMNS, churn_labels, customer_features
from churn.history import CustomerHistory

SEED = 13
MODEL_FILE = "model.joblib"
CARD_FILE = "model_card.json"


class ChurnModelError(ValueError):
    """The data cannot give a churn model (too few customers, one class only)."""


@dataclass(frozen=True)
class Snapshot:
    cutoff: date
    features: pd.DataFrame
    labels: pd.Series


def make_classifier() -> CalibratedClassifierCV:
    """Gradient boosting with sigmoid calibration on 5 folds.

    Blanks (too few orders for an interval, no e-mails) become the median plus a was-missing flag,
    so a feature that is blank for every customer of a shop does no harm.
    """
    boosted = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                       min_samples_leaf=30, l2_regularization=1.0, random_state=SEED))
    return CalibratedClassifierCV(boosted, method="sigmoid", cv=5, ensemble=False)  # one model to serve, calibrated on out-of-fold predictions


def snapshot(history: CustomerHistory, cutoff: date, horizon_days: int) -> Snapshot:
    features = customer_features(history, cutoff)
    return Snapshot(cutoff, features, churn_labels(history, features.index, cutoff, horizon_days))


def time_split_cutoffs(today: date, config: IntelligenceConfig) -> tuple[list[date], date]:
    """Training cutoffs whose label windows end before the evaluation cutoff, and that cutoff."""
    horizon = timedelta(days=config.churn_horizon_days)
    evaluation = today - horizon
    latest_training = evaluation - horizon
    spacing = timedelta(days=config.snapshot_spacing_days)
    return [latest_training - i * spacing for i in range(config.training_snapshots)], evaluation


def train_and_evaluate(history: CustomerHistory, today: date, config: IntelligenceConfig) -> tuple[CalibratedClassifierCV, dict]:
    """Fit on early snapshots, judge on a later one, then refit on everything labelled for serving."""
    training_cutoffs, evaluation_cutoff = time_split_cutoffs(today, config)
    training = [snapshot(history, cutoff, config.churn_horizon_days) for cutoff in training_cutoffs]
    evaluation = snapshot(history, evaluation_cutoff, config.churn_horizon_days)
    train_x, train_y = _stack(training)
    _check_trainable(train_y, "training"), _check_trainable(evaluation.labels, "evaluation")
    model = make_classifier().fit(train_x, train_y)
    report = _evaluate(model, evaluation)
    report["training"] = {"cutoffs": [str(c) for c in training_cutoffs], "rows": int(len(train_y)), "churn_rate": round(float(train_y.mean()), 4)}
    final_x, final_y = _stack(training + [evaluation])
    return make_classifier().fit(final_x, final_y), report


def _stack(snapshots: list[Snapshot]) -> tuple[pd.DataFrame, pd.Series]:
    return pd.concat([s.features for s in snapshots]), pd.concat([s.labels for s in snapshots])


def _check_trainable(labels: pd.Series, what: str) -> None:
    if len(labels) < 50:
        raise ChurnModelError(f"only {len(labels)} customers in the {what} snapshot; need at least 50 with orders")
    if labels.nunique() < 2:
        raise ChurnModelError(f"every customer in the {what} snapshot has the same label; a model needs both churners and stayers")


def _evaluate(model: CalibratedClassifierCV, evaluation: Snapshot) -> dict:
    probabilities = model.predict_proba(evaluation.features)[:, 1]
    labels = evaluation.labels.to_numpy()
    importance = permutation_importance(model, evaluation.features, labels, scoring="roc_auc", n_repeats=3, random_state=SEED)
    ranked = sorted(zip(FEATURE_COLUMNS, importance.importances_mean), key=lambda pair: -pair[1])
    return {
        "evaluation_cutoff": str(evaluation.cutoff),
        "customers": int(len(labels)),
        "churn_rate": round(float(labels.mean()), 4),
        "roc_auc": round(float(roc_auc_score(labels, probabilities)), 4),
        "pr_auc": round(float(average_precision_score(labels, probabilities)), 4),
        "brier": round(float(brier_score_loss(labels, probabilities)), 4),
        "recency_only_roc_auc": round(float(roc_auc_score(labels, evaluation.features["recency_days"])), 4),
        "strongest_features": [{"feature": name, "auc_drop": round(float(value), 4)} for name, value in ranked[:8]],
    }


def save_model(model: CalibratedClassifierCV, report: dict, directory: Path, config: IntelligenceConfig) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    trained_at = datetime.now(timezone.utc)
    card = {
        "name": "kizuna churn model",
        "version": f"churn-{trained_at:%Y%m%d%H%M%S}",
        "trained_at": trained_at.isoformat(timespec="seconds"),
        "estimator": "median imputation with missing flags, HistGradientBoostingClassifier, sigmoid-calibrated (5 folds)",
        "features": FEATURE_COLUMNS,
        "label": f"no order within {config.churn_horizon_days} days after the cutoff",
        "scikit_learn": sklearn.__version__,
        "evaluation": report,
    }
    joblib.dump(model, directory / MODEL_FILE)
    (directory / CARD_FILE).write_text(json.dumps(card, indent=2), encoding="utf-8")
    return card


def load_model(directory: Path) -> tuple[CalibratedClassifierCV, dict]:
    path = directory / MODEL_FILE
    if not path.exists():
        raise FileNotFoundError(f"no churn model in {directory}; run `kizuna churn train` first")
    return joblib.load(path), json.loads((directory / CARD_FILE).read_text(encoding="utf-8"))


def churn_probabilities(model: CalibratedClassifierCV, features: pd.DataFrame) -> np.ndarray:
    if features.empty:
        return np.empty(0)
    return model.predict_proba(features[FEATURE_COLUMNS])[:, 1]
