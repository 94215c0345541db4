"""`kizuna customers import`: whole files or nothing, re-import updates, errors name row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from churn.tabular_input import InputError
from kizuna.db.engine import session_scope
from kizuna.db.models import Customer, EngagementEvent, Order
from turn_core.customer_import import import_files

CUSTOMERS = "customer_id,name,signed_up,email\nA1,Ada Byron,2025-01-05,ada@example.com\nB2,Bo Li,2025-03-01,\n"
ORDERS = ("order_id,customer_id,placed_at,total,status,on_discount,new_product\n"
          "O-1,A1,2025-02-01,19.90,delivered,1,0\nO-2,A1,2025-04-11T10:00:00,5,shipped,0,1\nO-3,B2,2025-03-02,42.00,,,\n")
EVENTS = "customer_id,kind,date,count\nA1,visit,2025-04-01,3\nA1,email_sent,2025-04-01,1\nB2,login,2025-04-02,1\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(url: str, tmp_path: Path, customers: str = CUSTOMERS, orders: str = ORDERS, events: str | None = EVENTS):
    with session_scope(url) as session:
        return import_files(session, write(tmp_path, "customers.csv", customers), write(tmp_path, "orders.csv", orders),
                            write(tmp_path, "events.csv", events) if events is not None else None)


def counts(url: str) -> tuple[int, int, int]:
    with session_scope(url) as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (Customer, Order, EngagementEvent))


def test_import_then_reimport_updates_by_id(database_url, tmp_path):
    first = run_import(database_url, tmp_path)
    assert (first.customers_created, first.orders_created, first.event_rows) == (2, 3, 3)
    second = run_import(database_url, tmp_path, customers=CUSTOMERS.replace("Bo Li", "Bo Lindqvist"),
                        orders=ORDERS.replace("O-3,B2,2025-03-02,42.00", "O-3,B2,2025-03-02,44.50"),
                        events=EVENTS.replace("A1,visit,2025-04-01,3", "A1,visit,2025-04-01,7"))
    assert (second.customers_created, second.customers_updated, second.orders_updated) == (0, 2, 3)
    assert counts(database_url) == (2, 3, 3)
    with session_scope(database_url) as session:
        assert session.scalar(select(Customer.name).where(Customer.external_id == "B2")) == "Bo Lindqvist"
        order = session.scalar(select(Order).where(Order.order_number == "O-1"))
        assert order.on_discount and not order.new_product and order.status == "delivered"
        assert float(session.scalar(select(Order.total).where(Order.order_number == "O-3"))) == 44.5
        assert session.scalar(select(EngagementEvent.count).where(EngagementEvent.kind == "visit")) == 7


@pytest.mark.parametrize(
    "customers, orders, message",
    [
        (CUSTOMERS.replace(",email", ""), ORDERS, "row 2 has 4 values but the header has 3 columns"),
        ("customer_id,name\nA1,Ada\n", ORDERS, "missing column(s) signed_up"),
        (CUSTOMERS + "C3,Cy,2025-02-31,\n", ORDERS, "row 4, column 'signed_up': not a date"),
        (CUSTOMERS + "A1,Ada again,2025-01-05,\n", ORDERS, "row 4, column 'customer_id': a duplicate id"),
        (CUSTOMERS, ORDERS + "O-4,A1,2025-05-01,-3.00,,,\n", "row 5, column 'total': a negative amount"),
        (CUSTOMERS, ORDERS + "O-4,A1,2025-05-01,twelve,,,\n", "row 5, column 'total': not a number"),
        (CUSTOMERS, ORDERS + "O-4,ZZ,2025-05-01,1,,,\n", "row 5, column 'customer_id': no such customer"),
        (CUSTOMERS, ORDERS + "O-4,A1,2025-05-01,1,lost,,\n", "row 5, column 'status': not one of"),
        (CUSTOMERS, "".join(line + ",x\n" for line in ORDERS.splitlines()), "unexpected column(s) x"),
        ("", ORDERS, "the file is empty"),
        ("customer_id,name,signed_up\n", ORDERS, "has a header but no rows"),
        (CUSTOMERS.replace("Ada Byron", "<script>alert(1)</script>'; DROP TABLE customers;--"), ORDERS + "O-9,A1,nope,1,,,\n", "row 5, column 'placed_at'"),
    ],
)
def test_bad_files_name_the_row_and_column_and_import_nothing(sqlite_url, tmp_path, customers, orders, message):
    with pytest.raises(InputError) as raised:
        run_import(sqlite_url, tmp_path, customers, orders)
    assert message in str(raised.value)
    assert counts(sqlite_url) == (0, 0, 0)


def test_a_bad_events_file_rolls_back_customers_and_orders(sqlite_url, tmp_path):
    with pytest.raises(InputError, match="row 3, column 'kind'"):
        run_import(sqlite_url, tmp_path, events=EVENTS.replace("email_sent", "phone_call"))
    assert counts(sqlite_url) == (0, 0, 0)


def test_hostile_text_is_stored_as_text(sqlite_url, tmp_path):
    hostile = "<script>alert(1)</script>'; DROP TABLE customers;--"
    run_import(sqlite_url, tmp_path, customers=CUSTOMERS.replace("Ada Byron", f'"{hostile}"'), events=None)
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(Customer.name).where(Customer.external_id == "A1")) == hostile


@pytest.mark.parametrize("cell", [
    '"ben@example.com, victim@evil.example"',
    "ben@example.com;victim@evil.example",
    '"Ben <ben@example.com>, <victim2@evil.example>"',
    '"group: a@example.com, c@evil.example;"',
    "<ben@example.com>",
    "Ben <ben@example.com>",
    '"ben@example.com (Ben)"',
    '"victim@evil.example"@example.com',
    "ben@exa@mple.com",
    "ben.example.com",
    "ben@example.com\u200b",
    "b" * 245 + "@x.example",  # 255 characters
])
def test_an_email_cell_must_hold_exactly_one_plain_address(sqlite_url, tmp_path, cell):
    customers = CUSTOMERS + f"C3,Cy,2025-02-01,{cell}\n"
    with pytest.raises(InputError, match=r"row 4, column 'email': not one plain e-mail address"):
        run_import(sqlite_url, tmp_path, customers=customers, events=None)
    assert counts(sqlite_url) == (0, 0, 0)


def test_a_plain_address_of_the_longest_allowed_length_is_imported(sqlite_url, tmp_path):
    longest = "b" * 244 + "@x.example"  # 254 characters
    run_import(sqlite_url, tmp_path, customers=CUSTOMERS + f"C3,Cy,2025-02-01,{longest}\n", events=None)
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(Customer.email).where(Customer.external_id == "C3")) == longest
