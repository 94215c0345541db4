"""The campaigns page and its API (admins only): campaigns and their rules, the audience preview, approval,
"run now", runs and results. The page's delivery problems and webhook endpoints: console.outreach_admin_routes.

Every change needs the session's CSRF header and lands in the audit log. A bad rule is a 422 that names
the key at fault (`details[0].field` is e.g. "rule.min_tier"), and nothing is written.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from fastapi import APIRouter, Depends, Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from churn.config import load_config
from churn.tiers import DEFAULT_SEGMENT, TIERS
from console import deps
from console.campaign_schemas import CampaignDraft, CampaignIn, CampaignSettings
from console.errors import ApiError
from kizuna import audit
from kizuna.db import campaigns as store
from kizuna.db.models import Campaign, CampaignRun, User
from kizuna.settings import Settings
from kizuna.shop import get_shop_config
from outreach.campaign_fields import DEFAULT_DAILY_BUDGET, DEFAULT_HOLDOUT_SHARE, CampaignError, checked_fields
from outreach.campaign_report import campaign_report
from outreach.campaign_runs import CampaignNotRunnable, preview_campaign, run_campaign
from retention.campaign_rule import KEYS as RULE_KEYS
from retention.campaign_rule import RuleError
from retention.catalog import load_catalog

STATIC_DIR = Path(__file__).parent / "static"
CAMPAIGN_FIELDS = ("name", "channel", "offer_ids", "holdout_share", "daily_budget")
CampaignId = PathParam(ge=1, le=2**31 - 1)

router = APIRouter(tags=["campaigns"])


class FieldRefused(ApiError):
    """A campaign setting that cannot be used (422) or a name taken (409); the answer names the field."""

    def __init__(self, field: str, message: str, status_code: int = 422, code: str = "invalid_rule") -> None:
        super().__init__(status_code, code, message, details=[{"field": field, "message": message}])


@router.get("/campaigns", include_in_schema=False, dependencies=[Depends(deps.staff_page("admin"))])
async def campaigns_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "campaigns.html")


@router.get("/api/campaigns/options")
async def options(settings: deps.AppSettings, user: deps.Admin) -> dict[str, Any]:
    """What a rule can name: tiers, segments, and the offers of the catalog that campaigns can make (costs in
    the shop's currency); a new campaign's holdout share and daily budget."""
    segments = sorted({*load_config(settings.intelligence_config_path).segments, DEFAULT_SEGMENT})
    offers = [{"id": offer.id, "text": offer.outreach_text, "kind": offer.kind, "cost": offer.cost}
              for offer in load_catalog(settings.offer_catalog_path) if offer.for_outreach]
    return {"tiers": list(TIERS), "segments": segments, "offers": offers, "channels": ["email", "widget"],
            "currency": get_shop_config().facts.get("currency"),
            "defaults": {"holdout_share": DEFAULT_HOLDOUT_SHARE, "daily_budget": DEFAULT_DAILY_BUDGET}}


@router.get("/api/campaigns")
async def campaigns(sessions: deps.Sessions, user: deps.Admin) -> dict[str, Any]:
    """Every campaign with its status and its last run."""
    return {"campaigns": await run_in_threadpool(_campaigns, sessions)}


@router.post("/api/campaigns", status_code=201)
async def create(body: CampaignIn, sessions: deps.Sessions, settings: deps.AppSettings, user: deps.Admin) -> dict[str, Any]:
    """A new campaign, as a draft: it runs only once approved."""
    rule = _checked(body, settings)
    return await run_in_threadpool(_create, sessions, body, rule, user)


@router.put("/api/campaigns/{campaign_id}")
async def edit(body: CampaignIn, sessions: deps.Sessions, settings: deps.AppSettings, user: deps.Admin,
               campaign_id: int = CampaignId) -> dict[str, Any]:
    """Change a campaign; a changed approved campaign is a draft again, to be approved anew."""
    rule = _checked(body, settings)
    return await run_in_threadpool(_edit, sessions, campaign_id, body, rule, user)


@router.post("/api/campaigns/preview")
async def preview(body: CampaignDraft, sessions: deps.Sessions, settings: deps.AppSettings, user: deps.Admin) -> dict[str, Any]:
    """Who the rule would reach today, without contacting anyone: counts by tier and segment, expected cost
    and gain, the holdout, and who would be left out and why."""
    rule = _checked(body, settings)
    return await run_in_threadpool(_preview, sessions, settings, body, rule)


@router.post("/api/campaigns/{campaign_id}/approve")
async def approve(sessions: deps.Sessions, user: deps.Admin, campaign_id: int = CampaignId) -> dict[str, Any]:
    """Let the campaign run: nightly, and with "run now"."""
    return await run_in_threadpool(_change_status, sessions, campaign_id, user, "approve")


@router.post("/api/campaigns/{campaign_id}/pause")
async def pause(sessions: deps.Sessions, user: deps.Admin, campaign_id: int = CampaignId) -> dict[str, Any]:
    return await run_in_threadpool(_change_status, sessions, campaign_id, user, "pause")


@router.post("/api/campaigns/{campaign_id}/run")
async def run_now(sessions: deps.Sessions, settings: deps.AppSettings, user: deps.Admin, campaign_id: int = CampaignId) -> dict[str, Any]:
    """Run an approved campaign now; run again the same day, it contacts nobody twice."""
    return {"run": await run_in_threadpool(_run, sessions, settings, campaign_id, user)}


@router.get("/api/campaigns/{campaign_id}/results")
async def results(sessions: deps.Sessions, user: deps.Admin, campaign_id: int = CampaignId) -> dict[str, Any]:
    """The campaign's runs, newest first, and its results: treated against holdout, uplift, by offer."""
    return await run_in_threadpool(_results, sessions, campaign_id)


# --- the work, in a thread ----------------------------------------------------------------------

def _checked(body: CampaignSettings, settings: Settings) -> dict[str, Any]:
    """The rule as saved (the same checks as the CLI's), or FieldRefused naming the field at fault."""
    try:
        return checked_fields(settings, rule=body.rule, channel=body.channel, offer_ids=body.offer_ids,
                              holdout_share=body.holdout_share, daily_budget=body.daily_budget)["rule"]
    except RuleError as error:
        raise FieldRefused(_field_of(str(error), RULE_KEYS, "rule."), str(error)) from None
    except CampaignError as error:
        raise FieldRefused(_field_of(str(error), CAMPAIGN_FIELDS, ""), str(error)) from None


def _field_of(message: str, keys: Any, prefix: str) -> str:
    """The checks' messages begin with the key they are about."""
    key = next((key for key in sorted(keys, key=len, reverse=True) if message.startswith(key)), None)
    return f"{prefix}{key}" if key else prefix.rstrip(".") or "form"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _campaigns(session_factory: sessionmaker[Session]) -> list[dict[str, Any]]:
    with session_factory() as session:
        out = []
        for campaign in store.list_campaigns(session):
            runs = store.campaign_runs(session, campaign.id)
            out.append(_campaign_out(campaign, _run_out(runs[0]) if runs else None))
        return out


def _create(sessions: sessionmaker[Session], body: CampaignIn, rule: dict[str, Any], user: User) -> dict[str, Any]:
    try:
        with sessions.begin() as session:
            campaign = store.create_campaign(session, name=body.name, description=body.description, rule=rule, channel=body.channel,
                                             offer_ids=body.offer_ids, holdout_share=body.holdout_share,
                                             daily_budget=body.daily_budget, created_by=user.username, now=_now())
            audit.record(session, user, "campaign_created", detail={"campaign_id": campaign.id, "name": campaign.name})
            return _campaign_out(campaign, None)
    except (ValueError, IntegrityError):  # taken, or taken a moment ago by another admin
        raise FieldRefused("name", f"a campaign named {body.name!r} exists already; choose another name", 409, "name_taken") from None


def _edit(sessions: sessionmaker[Session], campaign_id: int, body: CampaignIn, rule: dict[str, Any], user: User) -> dict[str, Any]:
    with sessions.begin() as session:
        if _campaign(session, campaign_id).name != body.name:
            raise FieldRefused("name", "a campaign keeps its name (its runs and results are filed under it); create a new one instead")
        campaign = store.update_campaign(session, campaign_id, description=body.description, rule=rule, channel=body.channel,
                                         offer_ids=body.offer_ids, holdout_share=body.holdout_share, daily_budget=body.daily_budget)
        audit.record(session, user, "campaign_changed", detail={"campaign_id": campaign.id, "status": campaign.status})
        return _campaign_out(campaign, None)


def _preview(sessions: sessionmaker[Session], settings: Settings, body: CampaignDraft, rule: dict[str, Any]) -> dict[str, Any]:
    with sessions() as session:
        return preview_campaign(session, settings, rule, channel=body.channel, offer_ids=body.offer_ids,
                                holdout_share=body.holdout_share, daily_budget=body.daily_budget, now=_now(),
                                campaign_id=body.campaign_id)


def _change_status(sessions: sessionmaker[Session], campaign_id: int, user: User, action: str) -> dict[str, Any]:
    with sessions.begin() as session:
        _campaign(session, campaign_id)
        if action == "approve":
            campaign = store.approve_campaign(session, campaign_id, approved_by=user.username, now=_now())
        else:
            campaign = store.pause_campaign(session, campaign_id)
        audit.record(session, user, f"campaign_{action}d", detail={"campaign_id": campaign_id})
        return _campaign_out(campaign, None)


def _run(sessions: sessionmaker[Session], settings: Settings, campaign_id: int, user: User) -> dict[str, Any]:
    with sessions.begin() as session:
        campaign = _campaign(session, campaign_id)
        if campaign.status != "active":
            raise ApiError(409, "not_approved", f"campaign {campaign.name!r} is {campaign.status}: approve it before running it")
        audit.record(session, user, "campaign_run", detail={"campaign_id": campaign_id})
    try:
        return run_campaign(sessions, settings, campaign_id, now=_now(), trigger="console", started_by=user.username)
    except CampaignNotRunnable as refused:  # paused by another admin a moment ago
        raise ApiError(409, "not_approved", str(refused)) from None


def _results(sessions: sessionmaker[Session], campaign_id: int) -> dict[str, Any]:
    with sessions() as session:
        _campaign(session, campaign_id)
        runs = [_run_out(run) for run in store.campaign_runs(session, campaign_id)]
        report = campaign_report(session, campaign_id=campaign_id, now=_now())["campaigns"]
        return {"runs": runs, "report": report[0] if report else None}


def _campaign(session: Session, campaign_id: int) -> Campaign:
    campaign = store.get_campaign(session, campaign_id)
    if campaign is None:
        raise ApiError(404, "unknown_campaign", f"no campaign {campaign_id}")
    return campaign


# --- answers -------------------------------------------------------------------------------------

def _campaign_out(campaign: Campaign, last_run: Optional[dict[str, Any]]) -> dict[str, Any]:
    return {"id": campaign.id, "name": campaign.name, "description": campaign.description, "rule": campaign.rule,
            "channel": campaign.channel, "offer_ids": campaign.offer_ids, "holdout_share": campaign.holdout_share,
            "daily_budget": campaign.daily_budget, "status": campaign.status, "created_by": campaign.created_by,
            "created_at": campaign.created_at, "approved_by": campaign.approved_by, "approved_at": campaign.approved_at,
            "last_run": last_run}


def _run_out(run: CampaignRun) -> dict[str, Any]:
    return {"id": run.id, "run_day": run.run_day, "trigger": run.trigger, "started_by": run.started_by, "status": run.status,
            "summary": run.summary, "error": run.error, "started_at": run.started_at, "finished_at": run.finished_at}

