"""`kizuna customers|churn|clv ...`: import customer data, train and score churn, fit lifetime value."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import click

from churn.tabular_input import InputError
from kizuna.db.customer_list import list_customers
from kizuna.db.engine import scrub_sqlite, session_scope
from kizuna.db.migrate import upgrade
from kizuna.erasure import erase_customer, UnknownCustomerError
from kizuna.settings import get_settings
from kizuna.tracker_store import delete_conversations, TrackerStoreError

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


def _settings():  # type: ignore[no-untyped-def]

    return get_settings()


def _today(value: Optional[object]) -> date:
    return value.date() if value else date.today()  # type: ignore[attr-defined]


@click.group(help="Customer data: import it, list the customers with their risk, value, tier and segment, erase one.")
def customers() -> None:
    pass


@customers.command("import", help="Import customers, orders and (optionally) engagement events from CSV files. "
                   "Everything imports or nothing does; re-importing updates by id. Columns: see docs/trainers.md.")
@click.option("--customers", "customers_path", type=click.Path(path_type=Path), required=True, help="customer_id,name,signed_up[,email]")
@click.option("--orders", "orders_path", type=click.Path(path_type=Path), required=True, help="order_id,customer_id,placed_at,total[,status,currency,on_discount,new_product]")
@click.option("--events", "events_path", type=click.Path(path_type=Path), help="customer_id,kind,date[,count]; kind: visit, login, email_sent, email_opened")
def import_command(customers_path: Path, orders_path: Path, events_path: Optional[Path]) -> None:
    from turn_core.customer_import import import_files

    url = _settings().effective_database_url
    upgrade(url)
    try:
        with session_scope(url) as session:
            summary = import_files(session, customers_path, orders_path, events_path)
    except InputError as error:
        raise click.ClickException(f"{error}\nNothing was imported.")
    _json(summary.__dict__)


@customers.command("list", help="Customers with churn probability, predicted 12-month value, tier and segment (riskiest first).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1))
@click.option("--tier", type=click.Choice(["regular", "silver", "vip"]))
@click.option("--segment")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_command(limit: int, tier: Optional[str], segment: Optional[str], as_json: bool) -> None:
    with session_scope(_settings().effective_database_url) as session:
        rows = list_customers(session, limit=limit, tier=tier, segment=segment)
    if as_json:
        for row in rows:
            _json(row)
        return
    click.echo(f"{'customer':<10} {'name':<22} {'churn':>6} {'value 12m':>10} {'tier':<8} segment")
    for row in rows:
        churn = "-" if row["churn_probability"] is None else f"{row['churn_probability']:.2f}"
        value = "-" if row["predicted_value_12m"] is None else f"{row['predicted_value_12m']:.0f}"
        click.echo(f"{row['customer_id']:<10} {row['name'][:22]:<22} {churn:>6} {value:>10} {row['tier']:<8} {row['segment']}")


@customers.command("erase", help="Erase a customer's personal data everywhere, Rasa's tracker store included, in one go "
                   "(the customer row stays, named 'erased customer'), record the erasure and print what was erased as JSON. "
                   "On SQLite the databases are then vacuumed and their write-ahead logs truncated, so no erased bytes stay on disk.")
@click.argument("customer_id")
@click.option("--by", "erased_by", help="Who asked for it / who runs it (default: the login name).")
@click.option("--tracker-store", "tracker_url", help="SQLAlchemy URL of Rasa's tracker store (default: the one `kizuna run` gives Rasa).")
@click.option("--no-tracker-store", "without_tracker", is_flag=True,
              help="Rasa never kept these conversations (it never ran with this database): erase without a tracker store.")
def erase_command(customer_id: str, erased_by: Optional[str], tracker_url: Optional[str], without_tracker: bool) -> None:
    import getpass
    import sqlite3


    settings = _settings()
    upgrade(settings.effective_database_url)
    url = tracker_url or settings.effective_tracker_store_url
    delete_tracker_events = (lambda ids: 0) if without_tracker else (lambda ids: delete_conversations(url, ids))
    try:
        with session_scope(settings.effective_database_url) as session:
            counts = erase_customer(session, customer_id, erased_by or getpass.getuser(), delete_tracker_events)
    except UnknownCustomerError as error:
        raise click.ClickException(f"{error}; nothing was erased")
    except TrackerStoreError as error:
        raise click.ClickException(f"{error}; nothing was erased. Point --tracker-store at the store Rasa uses, "
                                   "or pass --no-tracker-store if Rasa never kept these conversations.")
    try:
        for database in [settings.effective_database_url] + ([] if without_tracker else [url]):
            scrub_sqlite(database)
    except sqlite3.Error as error:
        raise click.ClickException(f"erased, but the erased text may still be on disk: {error} "
                                   "(run the same command again once the database is idle)")
    _json({"customer_id": customer_id, "erased": counts})


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

    settings = _settings()
    click.echo("training the churn model on the app database (about a minute)...", err=True)
    try:
        report = train_from_database(settings.effective_database_url, _today(today), load_config(get_settings().intelligence_config_path), out_path or settings.churn_model_dir)
    except ChurnModelError as error:
        raise click.ClickException(str(error))
    _json(report)


def _train_on_table(path: Path, label: Optional[str], id_column: Optional[str], positive: Optional[str], folds: int, out: Optional[Path]) -> None:
    from churn.any_table import cross_validate, fit_and_save, prepare

    if not label:
        raise click.UsageError("--data needs --label COLUMN")
    out = out or _settings().churn_model_dir / "table-model.joblib"
    try:
        table = prepare(path, label, id_column, positive)
        report = cross_validate(table, folds)
    except InputError as error:
        raise click.ClickException(str(error))
    fit_and_save(table, out, id_column)
    _json({**report, "model_path": str(out)})


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

    settings = _settings()
    summary = refresh_scores(settings.effective_database_url, _today(today), load_config(get_settings().intelligence_config_path), settings.churn_model_dir)
    if summary["churn_model"] is None:
        click.echo("no churn model yet (run `kizuna churn train`); stored value, tier and segment only", err=True)
    _json(summary)


def _score_table(path: Path, model_path: Optional[Path]) -> None:
    from churn.any_table import score_file

    model_path = model_path or _settings().churn_model_dir / "table-model.joblib"
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

        settings = _settings()
        _json(refresh_scores(settings.effective_database_url, date.today(), load_config(get_settings().intelligence_config_path), settings.churn_model_dir))
        return
    if not (customer_col and date_col and amount_col):
        raise click.UsageError("--transactions needs --customer-col, --date-col and --amount-col")
    from churn.clv_report import fit_file

    try:
        report = fit_file(path, customer_col, date_col, amount_col, _day(calibration_end), _day(holdout_end), date_format, out_path)
    except (InputError, ValueError) as error:
        raise click.ClickException(str(error))
    _json(report)


def _day(value: Optional[object]) -> Optional[date]:
    return value.date() if value else None  # type: ignore[attr-defined]
