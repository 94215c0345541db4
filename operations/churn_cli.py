"""`kizuna churn|clv ...`: train and score the churn model, fit lifetime value."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import click

from churn.tabular_input import InputError
from kizuna.settings import get_settings
from operations.cli_output import echo_json

DATE = click.DateTime(formats=["%Y-%m-%d"])



def _today(value: Optional[object]) -> date:
    return value.date() if value else date.today()  # type: ignore[attr-defined]


@click.group(help="Churn: who is likely to stop buying. From the app database, or from any customer table (--data).")
def churn() -> None:
    pass


@churn.command("train", help="Without --data: train on the app database (time split; prints ROC AUC, PR AUC, Brier, strongest features). "
               "With --data: cross-validate on a CSV with one row per customer and print JSON with the ROC AUC.")
@click.option("--data", "data_path", type=click.Path(path_type=Path), help="A customer table (CSV).")
@click.option("--label", help="With --data: the column that says whether the customer churned.")
@click.option("--id", "id_column", help="With --data: the customer id column (left out of the features).")
@click.option("--positive", help="With --data: the label value meaning churned, if not obvious (yes/true/1/churned...).")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Where to save the model (default: models/churn/...).")
@click.option("--today", type=DATE, help="Database mode: the day to train as of (default: today).")
def train_command(data_path: Optional[Path], label: Optional[str], id_column: Optional[str], positive: Optional[str],
                  folds: int, out_path: Optional[Path], today: Optional[object]) -> None:
    if data_path is not None:
        _train_on_table(data_path, label, id_column, positive, folds, out_path)
        return
    from churn.config import load_config
    from churn.model import ChurnModelError
    from turn_core.customer_scoring import train_from_database

    settings = get_settings()
    click.echo("training the churn model on the app database (about a minute)...", err=True)
    try:
        report = train_from_database(settings.effective_database_url, _today(today), load_config(get_settings().intelligence_config_path), out_path or settings.churn_model_dir)
    except ChurnModelError as error:
        raise click.ClickException(str(error))
    echo_json(report)


def _train_on_table(path: Path, label: Optional[str], id_column: Optional[str], positive: Optional[str], folds: int, out: Optional[Path]) -> None:
    from churn.any_table import cross_validate, fit_and_save, prepare

    if not label:
        raise click.UsageError("--data needs --label COLUMN")
    out = out or get_settings().churn_model_dir / "table-model.joblib"
    try:
        table = prepare(path, label, id_column, positive)
        report = cross_validate(table, folds)
    except InputError as error:
        raise click.ClickException(str(error))
    fit_and_save(table, out, id_column)
    echo_json({**report, "model_path": str(out)})


@churn.command("score", help="Without --data: score every customer in the app database and store churn probability, "
               "12-month value, tier and segment (run it on a schedule). With --data and --model: print id,probability.")
@click.option("--data", "data_path", type=click.Path(path_type=Path), help="A customer table (CSV) with the training columns.")
@click.option("--model", "model_path", type=click.Path(path_type=Path), help="With --data: a model from `churn train --data`.")
@click.option("--today", type=DATE, help="Database mode: the day to score as of (default: today).")
def score_command(data_path: Optional[Path], model_path: Optional[Path], today: Optional[object]) -> None:
    if data_path is not None:
        _score_table(data_path, model_path)
        return
    from churn.config import load_config
    from turn_core.customer_scoring import refresh_scores

    settings = get_settings()
    summary = refresh_scores(settings.effective_database_url, _today(today), load_config(get_settings().intelligence_config_path), settings.churn_model_dir)
    if summary["churn_model"] is None:
        click.echo("no churn model yet (run `kizuna churn train`); stored value, tier and segment only", err=True)
    echo_json(summary)


def _score_table(path: Path, model_path: Optional[Path]) -> None:
    from churn.any_table import score_file

    model_path = model_path or get_settings().churn_model_dir / "table-model.joblib"
    if not model_path.exists():
        raise click.ClickException(f"no model at {model_path}; train one with `kizuna churn train --data ... --label ...`")
    try:
        ids, probabilities = score_file(path, model_path)
    except InputError as error:
        raise click.ClickException(str(error))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["id", "probability"])
    writer.writerows((identifier, f"{p:.6f}") for identifier, p in zip(ids, probabilities))


@click.group(help="Customer lifetime value: BG/NBD repeat purchases with Gamma-Gamma spend.")
def clv() -> None:
    pass


@clv.command("fit", help="Fit on a purchase log and print JSON: parameters and, with --holdout-end, predicted against actual "
             "repeat purchases. Columns are header names, or 1-based positions for a file without a header. "
             "Without --transactions: fit on the app database's orders and store each customer's 12-month value.")
@click.option("--transactions", "path", type=click.Path(path_type=Path), help="CSV, TSV or whitespace-separated purchase log.")
@click.option("--customer-col", help="Customer id column.")
@click.option("--date-col", help="Purchase date column.")
@click.option("--amount-col", help="Amount column (non-negative numbers).")
@click.option("--calibration-end", type=DATE, help="Fit on purchases up to this day (default: all).")
@click.option("--holdout-end", type=DATE, help="Compare predictions with purchases after --calibration-end up to this day.")
@click.option("--date-format", help="strftime format of the dates, e.g. %Y%m%d (default: ISO 8601).")
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Also write customer,expected_orders_12m,predicted_value_12m to this CSV.")
def fit_command(path: Optional[Path], customer_col: Optional[str], date_col: Optional[str], amount_col: Optional[str],
                calibration_end: Optional[object], holdout_end: Optional[object], date_format: Optional[str], out_path: Optional[Path]) -> None:
    if path is None:
        from churn.config import load_config
        from turn_core.customer_scoring import refresh_scores

        settings = get_settings()
        echo_json(refresh_scores(settings.effective_database_url, date.today(), load_config(get_settings().intelligence_config_path), settings.churn_model_dir))
        return
    if not (customer_col and date_col and amount_col):
        raise click.UsageError("--transactions needs --customer-col, --date-col and --amount-col")
    from churn.clv_report import fit_file

    try:
        report = fit_file(path, customer_col, date_col, amount_col, _day(calibration_end), _day(holdout_end), date_format, out_path)
    except (InputError, ValueError) as error:
        raise click.ClickException(str(error))
    echo_json(report)


def _day(value: Optional[object]) -> Optional[date]:
    return value.date() if value else None  # type: ignore[attr-defined]
