"""The retention report (retention.report) from the counts in the app database (kizuna.db.retention_results)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy.orm import Session

from kizuna.db.retention_results import arm_counts, decision_counts, offer_counts
from retention.report import ARMS, build_report


def retention_report(session: Session, since: Optional[datetime] = None) -> dict:
    offers = offer_counts(session, since)
    return build_report(since, decision_counts(session, since), offers,
                        {arm: arm_counts(session, action, since) for arm, action in ARMS})
