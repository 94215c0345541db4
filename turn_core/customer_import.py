"""Import customers, orders and engagement events from CSV files: all of it or none of it.

Every file is read and checked first (churn.importing: the errors name file, row and column), then written
in the caller's transaction (kizuna.db.customer_import). Offer codes on the orders are then redeemed
(kizuna.db.redemptions), once each however often the same orders are imported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from sqlalchemy.orm import Session

from churn.importing import read_customers, read_events, read_orders, refuse_unknown_customers
from kizuna.db.customer_import import known_customers, upsert_customers, upsert_events, upsert_orders
from kizuna.db.redemptions import redeem_codes
from kizuna.settings import get_settings
from retention.policy import load_policy


@dataclass(frozen=True)
class ImportSummary:
    customers_created: int = 0
    customers_updated: int = 0
    orders_created: int = 0
    orders_updated: int = 0
    event_rows: int = 0
    codes_redeemed: int = 0  # offer codes on the orders that redeemed a campaign's or a chat's offer now


def import_files(session: Session, customers: Path, orders: Path, events: Optional[Path] = None,
                 now: Optional[datetime] = None) -> ImportSummary:
    """Validate every file first, then write in the caller's transaction."""
    customer_rows, order_rows = read_customers(customers), read_orders(orders)
    event_rows = read_events(events) if events else None
    referenced = set(customer_rows["customer_id"]) | set(order_rows["customer_id"])
    known = known_customers(session, referenced | (set(event_rows["customer_id"]) if event_rows is not None else set()))
    for path, rows in ((orders, order_rows), (events, event_rows)):
        if rows is not None:
            refuse_unknown_customers(path, rows, set(customer_rows["customer_id"]) | set(known))
    created, updated, by_external = upsert_customers(session, customer_rows, known)
    orders_created, orders_updated = upsert_orders(session, order_rows, by_external)
    written = upsert_events(session, event_rows, by_external) if event_rows is not None else 0
    with_codes = order_rows.loc[order_rows["code"].fillna("") != "", "order_id"]
    shop_zone = load_policy(get_settings().retention_policy_path).shop_zone
    checks = redeem_codes(session, with_codes, now or datetime.now(timezone.utc), shop_zone)
    redeemed = sum(check.outcome == "redeemed" for check in checks)
    return ImportSummary(created, updated, orders_created, orders_updated, written, redeemed)
