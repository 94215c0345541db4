"""`kizuna customers ...`: import customers, orders and engagement; list them with risk, value, tier and
segment; erase one customer's personal data."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from churn.tabular_input import InputError
from kizuna.db.customer_list import list_customers
from kizuna.db.engine import scrub_sqlite, session_scope
from kizuna.erasure import erase_customer, UnknownCustomerError
from kizuna.settings import get_settings
from kizuna.tracker_store import delete_conversations, TrackerStoreError
from operations.cli_output import echo_json
from operations.database import migrated_database_url


@click.group(help="Customer data: import it, list the customers with their risk, value, tier and segment, erase one.")
def customers() -> None:
    pass


@customers.command("import", help="Import customers, orders and (optionally) engagement events from CSV files. "
                   "Everything imports or nothing does; re-importing updates by id. Columns: see docs/trainers.md.")
@click.option("--customers", "customers_path", type=click.Path(path_type=Path), required=True, help="customer_id,name,signed_up[,email,marketing_opt_in]")
@click.option("--orders", "orders_path", type=click.Path(path_type=Path), required=True, help="order_id,customer_id,placed_at,total[,status,currency,on_discount,new_product,code]")
@click.option("--events", "events_path", type=click.Path(path_type=Path), help="customer_id,kind,date[,count]; kind: visit, login, email_sent, email_opened")
def import_command(customers_path: Path, orders_path: Path, events_path: Optional[Path]) -> None:
    from turn_core.customer_import import import_files

    url = migrated_database_url()
    try:
        with session_scope(url) as session:
            summary = import_files(session, customers_path, orders_path, events_path)
    except InputError as error:
        raise click.ClickException(f"{error}\nNothing was imported.")
    echo_json(summary.__dict__)


@customers.command("list", help="Customers with churn probability, predicted 12-month value, tier and segment (riskiest first).")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1), help="How many customers to show.")
@click.option("--tier", type=click.Choice(["regular", "silver", "vip"]), help="Only customers of this tier.")
@click.option("--segment", help="Only customers of this segment (see data/customers/intelligence.yml).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_command(limit: int, tier: Optional[str], segment: Optional[str], as_json: bool) -> None:
    with session_scope(get_settings().effective_database_url) as session:
        rows = list_customers(session, limit=limit, tier=tier, segment=segment)
    if as_json:
        for row in rows:
            echo_json(row)
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


    settings, database_url = get_settings(), migrated_database_url()
    url = tracker_url or settings.effective_tracker_store_url
    delete_tracker_events = (lambda ids: 0) if without_tracker else (lambda ids: delete_conversations(url, ids))
    try:
        with session_scope(database_url) as session:
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
    echo_json({"customer_id": customer_id, "erased": counts})
