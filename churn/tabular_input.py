"""Reading customer-data files with errors a person can act on: which file, row and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Optional

import pandas as pd


class InputError(ValueError):
    """A file cannot be used as it is; the message names the row and column."""


def read_table(path: Path, sep: Optional[str] = None, header: bool = True) -> pd.DataFrame:
    """Every cell as text (blank cells as ""), so checks see exactly what the file says."""
    text = path.read_text(encoding="utf-8-sig", errors="replace") if path.exists() else None
    if text is None:
        raise InputError(f"{path}: no such file")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise InputError(f"{path}: the file is empty")
    sep = sep or _guess_separator(first_line)
    if header and len(sep) == 1:
        _check_field_counts(path, text, sep)
    try:
        frame = pd.read_csv(path, sep=sep, header=0 if header else None, dtype=str, keep_default_na=False,
                            skipinitialspace=True, encoding="utf-8-sig", index_col=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a readable table ({error})") from None
    if frame.empty:
        raise InputError(f"{path}: the file has a header but no rows")
    if not header:
        frame.columns = [str(i) for i in range(1, frame.shape[1] + 1)]
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _check_field_counts(path: Path, text: str, sep: str) -> None:
    """pandas quietly drops or shifts cells of rows that are longer than the header; refuse them instead."""
    rows = csv.reader(io.StringIO(text), delimiter=sep)
    expected = None
    for line_number, row in enumerate(rows, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if expected is None:
            expected = len(row)
        elif len(row) != expected:
            raise InputError(f"{path}: row {line_number} has {len(row)} values but the header has {expected} columns")


def _guess_separator(first_line: str) -> str:
    for candidate in (",", "\t", ";", "|"):
        if candidate in first_line:
            return candidate
    return r"\s+"


def file_row(frame: pd.DataFrame, position: int, header: bool = True) -> int:
    """The line number in the file of the row at `position` (header on line 1)."""
    return position + (2 if header else 1)


def fail_at(path: Path, frame: pd.DataFrame, bad: pd.Series, column: str, problem: str, header: bool = True) -> None:
    """Raise for the first row where `bad` holds, quoting the offending value."""
    positions = bad.to_numpy().nonzero()[0]
    if len(positions):
        position = int(positions[0])
        value = frame[column].iloc[position]
        more = f" (and {len(positions) - 1} more rows)" if len(positions) > 1 else ""
        raise InputError(f"{path}: row {file_row(frame, position, header)}, column '{column}': {problem}: {value!r}{more}")


def require_columns(path: Path, frame: pd.DataFrame, required: list[str], optional: list[str] = (), allow_extra: bool = False) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}; the file has {', '.join(frame.columns)}")
    extra = [c for c in frame.columns if c not in required and c not in optional]
    if extra and not allow_extra:
        raise InputError(f"{path}: unexpected column(s) {', '.join(extra)}; expected {', '.join(list(required) + list(optional))}")


def parse_dates(path: Path, frame: pd.DataFrame, column: str, date_format: Optional[str] = None, header: bool = True) -> pd.Series:
    raw = frame[column].str.strip()
    fail_at(path, frame, raw == "", column, "the date is blank", header)
    parsed = pd.to_datetime(raw, format=date_format or "ISO8601", errors="coerce")
    fail_at(path, frame, parsed.isna(), column, f"not a date{f' in the format {date_format}' if date_format else ' (use YYYY-MM-DD)'}", header)
    if parsed.dt.tz is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed


def parse_amounts(path: Path, frame: pd.DataFrame, column: str, header: bool = True) -> pd.Series:
    raw = frame[column].str.strip()
    numbers = pd.to_numeric(raw, errors="coerce")
    fail_at(path, frame, numbers.isna(), column, "not a number", header)
    fail_at(path, frame, numbers < 0, column, "a negative amount", header)
    return numbers.astype(float)


def require_filled(path: Path, frame: pd.DataFrame, column: str, header: bool = True) -> pd.Series:
    values = frame[column].str.strip()
    fail_at(path, frame, values == "", column, "this value is required", header)
    return values
