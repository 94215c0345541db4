"""Churn from any customer table: a CSV with one row per customer and a label column.

Numeric and categorical columns are handled, blanks imputed, id-like columns left out. Two
models are cross-validated on the same folds: a tuned logistic regression (the usual baseline)
and ours, a blend of that regression with gradient boosting; all preprocessing is fitted inside
each fold, so no information leaks from the test rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, VotingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from churn.tabular_input import InputError, read_table

SEED = 13
POSITIVE_LABELS = {"1", "yes", "y", "true", "t", "churn", "churned", "exited", "left", "lost"}
NEGATIVE_LABELS = {"0", "no", "n", "false", "f", "stayed", "retained", "active", "kept"}
ID_NAME = re.compile(r"(^|[_\s])id$|^id|id$", re.IGNORECASE)


@dataclass(frozen=True)
class PreparedTable:
    features: pd.DataFrame
    labels: Optional[pd.Series]
    ids: pd.Series
    numeric: list[str]
    categorical: list[str]
    dropped: list[str]


def prepare(path: Path, label: Optional[str], id_column: Optional[str], positive: Optional[str] = None) -> PreparedTable:
    raw = read_table(path)
    for name, role in ((label, "label"), (id_column, "id")):
        if name and name not in raw.columns:
            raise InputError(f"{path}: no {role} column '{name}'; the file has {', '.join(raw.columns)}")
    if id_column and raw[id_column].duplicated().any():
        row = int(raw[id_column].duplicated().to_numpy().nonzero()[0][0]) + 2
        raise InputError(f"{path}: row {row}, column '{id_column}': duplicate id {raw[id_column].iloc[row - 2]!r}")
    labels = _labels(path, raw[label], label, positive) if label else None
    candidates = raw.drop(columns=[c for c in (label, id_column) if c])
    dropped = [c for c in candidates.columns if _looks_like_id(candidates[c]) or candidates[c].str.strip().eq("").all()]
    kept = candidates.drop(columns=dropped)
    if kept.empty:
        raise InputError(f"{path}: no feature columns left after leaving out the label and id-like columns")
    numeric = [c for c in kept.columns if _mostly_numeric(kept[c])]
    categorical = [c for c in kept.columns if c not in numeric]
    features = _typed(kept, numeric, categorical)
    ids = raw[id_column] if id_column else pd.Series(range(1, len(raw) + 1), name="row").astype(str)
    return PreparedTable(features, labels, ids, numeric, categorical, [c for c in (id_column,) if c] + dropped)


def _labels(path: Path, column: pd.Series, name: str, positive: Optional[str]) -> pd.Series:
    values = column.str.strip()
    blank = values == ""
    if blank.any():
        raise InputError(f"{path}: row {int(blank.to_numpy().nonzero()[0][0]) + 2}, column '{name}': the label is blank")
    distinct = sorted(values.unique())
    if len(distinct) < 2:
        raise InputError(f"{path}: column '{name}' has one class only ({distinct[0]!r}); a churn model needs churners and stayers")
    if len(distinct) > 2:
        raise InputError(f"{path}: column '{name}' has {len(distinct)} different values; a churn label has two")
    if positive is None and sorted(pd.to_numeric(pd.Series(distinct), errors="coerce").tolist()) == [0.0, 1.0]:
        positive = next(v for v in distinct if float(v) == 1.0)  # 1 / 1.0 means churned
    if positive is None:
        found = [v for v in distinct if v.lower() in POSITIVE_LABELS]
        if len(found) != 1 or not any(v.lower() in NEGATIVE_LABELS for v in distinct):
            raise InputError(f"{path}: cannot tell which value of '{name}' ({' / '.join(distinct)}) means churned; pass --positive VALUE")
        positive = found[0]
    elif positive not in distinct:
        raise InputError(f"{path}: --positive {positive!r} does not occur in column '{name}' ({' / '.join(distinct)})")
    return (values == positive).astype(int)


def _looks_like_id(column: pd.Series) -> bool:
    values = column.str.strip()
    unique_share = values.nunique() / max(len(values), 1)
    if ID_NAME.search(column.name or "") and unique_share > 0.9:
        return True
    return unique_share > 0.98 and not _mostly_numeric(column)  # free text or codes, one per row


def _mostly_numeric(column: pd.Series) -> bool:
    values = column.str.strip()
    filled = values[values != ""]
    return len(filled) > 0 and pd.to_numeric(filled, errors="coerce").notna().mean() >= 0.95


def _preprocessor(table: PreparedTable, scale: bool) -> ColumnTransformer:
    numeric_steps = [SimpleImputer(strategy="median", add_indicator=True)] + ([StandardScaler()] if scale else [])
    if scale:
        categorical = make_pipeline(SimpleImputer(strategy="most_frequent"),
                                    OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=5, sparse_output=False))
    else:
        categorical = make_pipeline(SimpleImputer(strategy="most_frequent"),
                                    OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1))
    return ColumnTransformer([("numeric", make_pipeline(*numeric_steps), table.numeric),
                              ("categorical", categorical, table.categorical)])


def logistic_baseline(table: PreparedTable) -> GridSearchCV:
    pipeline = Pipeline([("prepare", _preprocessor(table, scale=True)),
                         ("model", LogisticRegression(max_iter=2000))])
    return GridSearchCV(pipeline, {"model__C": [0.01, 0.1, 1.0]}, scoring="roc_auc",
                        cv=StratifiedKFold(3, shuffle=True, random_state=SEED))


def blended_model(table: PreparedTable) -> VotingClassifier:
    boosted = Pipeline([("prepare", _preprocessor(table, scale=False)),
                        ("model", HistGradientBoostingClassifier(max_iter=300, learning_rate=0.04, max_leaf_nodes=8,
                                                                 min_samples_leaf=40, l2_regularization=1.0,
                                                                 random_state=SEED))])
    return VotingClassifier([("logistic", logistic_baseline(table)), ("boosted", boosted)], voting="soft")


def cross_validate(table: PreparedTable, folds: int) -> dict:
    if folds < 2:
        raise InputError("--folds must be at least 2")
    minority = int(table.labels.value_counts().min())
    if minority < folds:
        raise InputError(f"only {minority} rows of the rarer class; cannot make {folds} folds")
    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    ours = cross_val_score(blended_model(table), table.features, table.labels, cv=splitter, scoring="roc_auc")
    baseline = cross_val_score(logistic_baseline(table), table.features, table.labels, cv=splitter, scoring="roc_auc")
    return {
        "rows": int(len(table.labels)),
        "churn_rate": round(float(table.labels.mean()), 4),
        "folds": folds,
        "roc_auc": round(float(ours.mean()), 4),
        "roc_auc_std": round(float(ours.std()), 4),
        "roc_auc_per_fold": [round(float(v), 4) for v in ours],
        "baseline_logistic_roc_auc": round(float(baseline.mean()), 4),
        "model": "soft vote of a tuned logistic regression and gradient boosting",
        "numeric_columns": table.numeric,
        "categorical_columns": table.categorical,
        "left_out_columns": table.dropped,
    }


def fit_and_save(table: PreparedTable, out: Path, id_column: Optional[str]) -> None:
    model = blended_model(table).fit(table.features, table.labels)
    out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"model": model, "columns": list(table.features.columns), "numeric": table.numeric,
                 "categorical": table.categorical, "id_column": id_column}, out)


def score_file(path: Path, model_path: Path) -> tuple[pd.Series, np.ndarray]:
    bundle = joblib.load(model_path)
    raw = read_table(path)
    missing = [c for c in bundle["columns"] if c not in raw.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) the model was trained on: {', '.join(missing)}")
    id_column = bundle["id_column"] if bundle["id_column"] in raw.columns else None
    table = _typed(raw[bundle["columns"]], bundle["numeric"], bundle["categorical"])
    ids = raw[id_column] if id_column else pd.Series(range(1, len(raw) + 1)).astype(str)
    return ids, bundle["model"].predict_proba(table)[:, 1]


def _typed(raw: pd.DataFrame, numeric: list[str], categorical: list[str]) -> pd.DataFrame:
    """Numbers as floats (unreadable ones blank), categories as text, blanks as missing."""
    features = raw.copy()
    for column in numeric:
        features[column] = pd.to_numeric(features[column].str.strip(), errors="coerce")
    for column in categorical:
        features[column] = features[column].str.strip().replace("", np.nan)
    return features
