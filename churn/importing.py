"""Customers, orders and engagement events from CSV files, read and checked before anything is imported.

Columns (header names, in any order):
  customers: customer_id, name, signed_up [, email, marketing_opt_in]
  orders:    order_id, customer_id, placed_at, total [, status, currency, on_discount, new_product, code]
  events:    customer_id, kind, date [, count]
Re-importing updates customers by customer_id, orders by order_id and events by
(customer_id, kind, date). An optional column left out changes nothing stored: without marketing_opt_in a
customer's consent stays as it is, without code an order's code does (their table columns hold None then).
marketing_opt_in is a yes/no consent to marketing e-mail (blank: no); code is the offer code used on the order.
Every check names the file, row and column (InputError).
"""

from __future__ import annotations

import unicodedata
from email.utils import getaddresses
from pathlib import Path

import pandas as pd

from churn.tabular_input import fail_at, parse_amounts, parse_dates, read_table, require_columns, require_filled

ORDER_STATUSES = ("placed", "processing", "shipped", "delivered", "cancelled", "returned")
EVENT_KINDS = ("visit", "login", "email_sent", "email_opened")
CODE_PATTERN = r"[A-Z0-9][A-Z0-9_\-]{0,19}"  # the code typed at the shop's checkout (ours: KZ- and 8 characters)
TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "y"}, {"0", "false", "no", "n", ""}
MAX_EMAIL_LENGTH = 254


def read_customers(path: Path) -> pd.DataFrame:
    frame = read_table(path)
    require_columns(path, frame, ["customer_id", "name", "signed_up"], ["email", "marketing_opt_in"])
    result = pd.DataFrame({
        "customer_id": require_filled(path, frame, "customer_id"),
        "name": require_filled(path, frame, "name"),
        "signed_up": parse_dates(path, frame, "signed_up"),
        "email": frame["email"].str.strip() if "email" in frame else "",
        "marketing_opt_in": _flags(path, frame, "marketing_opt_in") if "marketing_opt_in" in frame else None,
    })
    _no_duplicates(path, frame, result["customer_id"], "customer_id")
    _max_length(path, frame, "customer_id", 64), _max_length(path, frame, "name", 200)
    if "email" in frame:
        fail_at(path, frame, (result["email"] != "") & ~result["email"].map(is_plain_address), "email",
                "not one plain e-mail address (name@domain: no list, group or display name)")
    return result


def read_orders(path: Path) -> pd.DataFrame:
    frame = read_table(path)
    optional = ["status", "currency", "on_discount", "new_product", "code"]
    require_columns(path, frame, ["order_id", "customer_id", "placed_at", "total"], optional)
    result = pd.DataFrame({
        "order_id": require_filled(path, frame, "order_id"),
        "customer_id": require_filled(path, frame, "customer_id"),
        "placed_at": parse_dates(path, frame, "placed_at"),
        "total": parse_amounts(path, frame, "total"),
        "status": frame["status"].str.strip().str.lower().replace("", "delivered") if "status" in frame else "delivered",
        "currency": frame["currency"].str.strip().str.upper().replace("", "EUR") if "currency" in frame else "EUR",
        "on_discount": _flags(path, frame, "on_discount"),
        "new_product": _flags(path, frame, "new_product"),
        "code": frame["code"].str.strip().str.upper() if "code" in frame else None,
    })
    _no_duplicates(path, frame, result["order_id"], "order_id")
    _max_length(path, frame, "order_id", 32)
    if "status" in frame:
        fail_at(path, frame, ~result["status"].isin(ORDER_STATUSES), "status", f"not one of {', '.join(ORDER_STATUSES)}")
    if "currency" in frame:
        fail_at(path, frame, ~result["currency"].str.fullmatch(r"[A-Z]{3}"), "currency", "not a three-letter currency code")
    if "code" in frame:
        fail_at(path, frame, (result["code"] != "") & ~result["code"].str.fullmatch(CODE_PATTERN), "code",
                "not an offer code (up to 20 letters, digits, - or _)")
    return result


def read_events(path: Path) -> pd.DataFrame:
    frame = read_table(path)
    require_columns(path, frame, ["customer_id", "kind", "date"], ["count"])
    result = pd.DataFrame({
        "customer_id": require_filled(path, frame, "customer_id"),
        "kind": frame["kind"].str.strip().str.lower(),
        "date": parse_dates(path, frame, "date").dt.date,
        "count": parse_amounts(path, frame, "count") if "count" in frame else 1.0,
    })
    fail_at(path, frame, ~result["kind"].isin(EVENT_KINDS), "kind", f"not one of {', '.join(EVENT_KINDS)}")
    fail_at(path, frame, result["count"] % 1 != 0, "count", "not a whole number")
    _no_duplicates(path, frame, result["customer_id"] + "|" + result["kind"] + "|" + result["date"].astype(str), "date",
                   "the same customer, kind and date appear twice")
    return result


def is_plain_address(value: str) -> bool:
    """Exactly one addr-spec: a list, a group or a display name would have campaign e-mail go to every address in it."""
    local_part, at, domain = value.partition("@")
    return (0 < len(value) <= MAX_EMAIL_LENGTH and bool(local_part) and bool(at) and bool(domain) and "@" not in domain
            and not any(c.isspace() or unicodedata.category(c).startswith("C") for c in value)
            and getaddresses([value]) == [("", value)])


def _flags(path: Path, frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series(False, index=frame.index)
    values = frame[column].str.strip().str.lower()
    fail_at(path, frame, ~values.isin(TRUE_WORDS | FALSE_WORDS), column, "not a yes/no value (use 1 or 0)")
    return values.isin(TRUE_WORDS)


def _no_duplicates(path: Path, frame: pd.DataFrame, keys: pd.Series, column: str, problem: str = "a duplicate id") -> None:
    fail_at(path, frame, keys.duplicated(), column, problem)


def _max_length(path: Path, frame: pd.DataFrame, column: str, limit: int) -> None:
    fail_at(path, frame, frame[column].str.len() > limit, column, f"longer than {limit} characters")


def refuse_unknown_customers(path: Path, rows: pd.DataFrame, known: set[str]) -> None:
    """Every row's customer_id must be one of `known` (the customers file's and the stored ones)."""
    fail_at(path, rows, ~rows["customer_id"].isin(known), "customer_id", "no such customer in the customers file or the database")
