"""The campaigns section of the analytics page: every campaign's results (outreach.campaign_report) and their
chart, for the staff who see analytics (agents, trainers, admins)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.campaign_chart import campaigns_svg
from outreach.campaign_report import campaign_report

router = APIRouter(tags=["analytics"])


@router.get("/api/analytics/campaigns")
async def campaigns(sessions: deps.Sessions, user: deps.AnyStaff) -> dict[str, Any]:
    """Per campaign and per offer: treated against holdout in the 30 days after each contact, the uplift with its
    95 % interval and verdict, and the cost of the redeemed offers."""
    return await run_in_threadpool(_report, sessions)


@router.get("/api/analytics/campaigns.svg", response_class=Response)
async def campaigns_chart(sessions: deps.Sessions, user: deps.AnyStaff) -> Response:
    report = await run_in_threadpool(_report, sessions)
    return Response(await run_in_threadpool(campaigns_svg, report["campaigns"]), media_type="image/svg+xml")


def _report(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as session:
        return campaign_report(session, now=datetime.now(timezone.utc))
