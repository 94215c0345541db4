"""Staff view of the customers: churn probability, predicted value, tier and segment."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from console import deps
from kizuna.db.customer_list import list_customers

STATIC_DIR = Path(__file__).parent / "static"


ROLES = ("agent", "trainer", "admin")
router = APIRouter(tags=["customers"])


@router.get("/customers", include_in_schema=False, dependencies=[Depends(deps.staff_page(*ROLES))])
async def customers_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "customers.html")


@router.get("/api/customers", dependencies=[Depends(deps.staff(*ROLES))])
async def customers(sessions: deps.Sessions, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0),
                    tier: Optional[str] = Query(None, pattern="^(regular|silver|vip)$"),
                    segment: Optional[str] = Query(None, pattern="^[a-z_]{1,32}$")) -> dict:
    """Customers, riskiest first, with churn probability, predicted 12-month value, tier and segment."""
    def read() -> list[dict]:
        with sessions() as session:
            return list_customers(session, limit=limit, offset=offset, tier=tier, segment=segment)

    return {"customers": await run_in_threadpool(read)}
