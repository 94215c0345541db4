"""The campaigns section of the analytics page: every campaign's results (outreach.campaign_report) and their
chart, for the staff who see analytics (agents, trainers, admins).

The page asks for the table and the chart at once and the report takes seconds on a large shop: it is built
once and kept for REPORT_SECONDS, so both come from one report (and a reload within them costs nothing)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Any, Optional

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.campaign_chart import campaigns_svg
from outreach.campaign_report import campaign_report

router = APIRouter(tags=["analytics"])
REPORT_SECONDS = 30.0


@router.get("/api/analytics/campaigns")
async def campaigns(sessions: deps.Sessions, user: deps.AnyStaff) -> dict[str, Any]:
    """Per campaign and per offer: treated against holdout in the 30 days after each contact, the uplift with its
    95 % interval and verdict, and the cost of the redeemed offers."""
    return await run_in_threadpool(_report, sessions)


@router.get("/api/analytics/campaigns.svg", response_class=Response)
async def campaigns_chart(sessions: deps.Sessions, user: deps.AnyStaff) -> Response:
    report = await run_in_threadpool(_report, sessions)
    return Response(await run_in_threadpool(campaigns_svg, report["campaigns"]), media_type="image/svg+xml")


class _RecentReport:
    """The last report built, for one database, while it is younger than REPORT_SECONDS. A request that finds
    none builds it; one arriving meanwhile waits for it rather than building it again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: Optional[tuple[sessionmaker[Session], float, dict[str, Any]]] = None

    def get(self, sessions: sessionmaker[Session]) -> dict[str, Any]:
        with self._lock:
            if self._kept is not None:
                kept_for, built_at, report = self._kept
                if kept_for is sessions and clock() - built_at < REPORT_SECONDS:
                    return report
            with sessions() as session:
                report = campaign_report(session, now=datetime.now(timezone.utc))
            self._kept = (sessions, clock(), report)
            return report


clock = time.monotonic
_recent = _RecentReport()


def _report(sessions: sessionmaker[Session]) -> dict[str, Any]:
    return _recent.get(sessions)
