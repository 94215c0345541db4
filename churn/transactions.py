"""A purchase log from any delimited file, for lifetime-value fitting."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import pandas as pd

from churn.tabular_input import InputError, parse_amounts, parse_dates, read_table, require_columns, require_filled


def read_transactions(path: Path, customer_col: str, date_col: str, amount_col: str, date_format: Optional[str] = None) -> pd.DataFrame:
    """customer, date, amount. Columns are header names, or 1-based positions for a file without a header."""
    positional = all(c.isdigit() for c in (customer_col, date_col, amount_col))
    frame = read_table(path, header=not positional)
    columns = [customer_col, date_col, amount_col]
    require_columns(path, frame, columns, allow_extra=True)
    header = not positional
    transactions = pd.DataFrame({
        "customer": require_filled(path, frame, customer_col, header),
        "date": parse_dates(path, frame, date_col, date_format, header),
        "amount": parse_amounts(path, frame, amount_col, header),
    })
    if transactions.empty:
        raise InputError(f"{path}: no transactions")
    return transactions
