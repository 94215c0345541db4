"""Outreach deliveries for admins: parked campaign e-mail and dead webhook deliveries, each sent again on
request, and the webhook endpoints that receive the shop's events.

Every change needs the session's CSRF header and lands in the audit log.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter, Path as PathParam
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.campaign_schemas import EndpointIn
from console.errors import ApiError
from kizuna import audit
from kizuna.db import outbound_emails, webhooks
from kizuna.db.models import User, WebhookDelivery
from kizuna.settings import Settings
from retention.policy import load_policy
from retention.quiet_hours import local_day

MAX_ID = 2**31 - 1

router = APIRouter(tags=["outreach"])


@router.get("/api/outreach/parked-emails")
async def parked(sessions: deps.Sessions, user: deps.Admin) -> dict[str, Any]:
    return {"emails": await run_in_threadpool(_read, sessions, outbound_emails.parked_emails)}


@router.post("/api/outreach/parked-emails/{email_id}/retry")
async def retry_email(sessions: deps.Sessions, settings: deps.AppSettings, user: deps.Admin,
                      email_id: int = PathParam(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Queue a parked e-mail again, with a fresh round of tries; 409 when it could not go out anyway (its code
    expired, or the customer may no longer be mailed)."""
    return await run_in_threadpool(_retry_email, sessions, settings, email_id, user)


@router.get("/api/webhooks/dead-deliveries")
async def dead(sessions: deps.Sessions, user: deps.Admin) -> dict[str, Any]:
    return {"deliveries": await run_in_threadpool(_read, sessions, _dead_deliveries)}


@router.post("/api/webhooks/dead-deliveries/{delivery_id}/retry")
async def retry_delivery(sessions: deps.Sessions, user: deps.Admin, delivery_id: int = PathParam(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Send a dead delivery again, with a fresh round of tries."""
    return await run_in_threadpool(_retry_delivery, sessions, delivery_id, user)


@router.get("/api/webhooks/endpoints")
async def endpoints(sessions: deps.Sessions, user: deps.Admin) -> dict[str, Any]:
    """The active endpoints (their secrets are never shown again)."""
    return {"endpoints": await run_in_threadpool(_read, sessions, _endpoints), "event_types": list(webhooks.EVENT_TYPES)}


@router.post("/api/webhooks/endpoints", status_code=201)
async def add_endpoint(body: EndpointIn, sessions: deps.Sessions, settings: deps.AppSettings, user: deps.Admin) -> dict[str, Any]:
    """A new endpoint; its signing secret is in this answer only: give it to the receiver."""
    return await run_in_threadpool(_add_endpoint, sessions, body, user, settings.webhook_allow_private_targets)


@router.delete("/api/webhooks/endpoints/{endpoint_id}")
async def remove_endpoint(sessions: deps.Sessions, user: deps.Admin, endpoint_id: int = PathParam(ge=1, le=MAX_ID)) -> dict[str, Any]:
    """Stop sending to the endpoint; its deliveries still waiting become dead."""
    return await run_in_threadpool(_remove_endpoint, sessions, endpoint_id, user)


# --- the work, in a thread ----------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(timezone.utc)


def _read(sessions: sessionmaker[Session], query: Any) -> Any:
    with sessions() as session:
        return query(session)


def _retry_email(sessions: sessionmaker[Session], settings: Settings, email_id: int, user: User) -> dict[str, Any]:
    now = _now()
    today = local_day(now, load_policy(settings.retention_policy_path))  # a code lasts to the end of the shop's day
    with sessions.begin() as session:
        try:
            retried = outbound_emails.retry_parked(session, email_id, now, today)
        except outbound_emails.RetryRefused as refused:
            raise ApiError(409, "cannot_retry", str(refused)) from None
        if not retried:
            raise ApiError(404, "not_parked", f"no parked e-mail {email_id} (it may have been retried already)")
        audit.record(session, user, "email_retried", detail={"email_id": email_id})
    return {"id": email_id, "status": "queued"}


def _retry_delivery(sessions: sessionmaker[Session], delivery_id: int, user: User) -> dict[str, Any]:
    with sessions.begin() as session:
        try:
            delivery = webhooks.retry_delivery(session, delivery_id, _now())
        except webhooks.WebhookError as refused:
            raise ApiError(409, "cannot_retry", str(refused)) from None
        audit.record(session, user, "webhook_retried", detail={"delivery_id": delivery_id})
        return {"id": delivery.id, "status": delivery.status}


def _dead_deliveries(session: Session) -> list[dict[str, Any]]:
    urls = {endpoint.id: endpoint.url for endpoint in webhooks.list_endpoints(session, include_inactive=True)}
    return [_delivery_out(delivery, urls.get(delivery.endpoint_id, "")) for delivery in webhooks.dead_deliveries(session, limit=100)]


def _endpoints(session: Session) -> list[dict[str, Any]]:
    return [{"id": e.id, "url": e.url, "events": e.events, "description": e.description, "created_by": e.created_by,
             "created_at": e.created_at} for e in webhooks.list_endpoints(session)]


def _add_endpoint(sessions: sessionmaker[Session], body: EndpointIn, user: User, allow_private_targets: bool) -> dict[str, Any]:
    with sessions.begin() as session:
        try:
            endpoint, secret = webhooks.create_endpoint(session, body.url, body.events, user.username, body.description,
                                                        allow_private_targets=allow_private_targets)
        except webhooks.WebhookError as refused:
            raise ApiError(422, "invalid_endpoint", str(refused)) from None
        audit.record(session, user, "webhook_endpoint_added", detail={"endpoint_id": endpoint.id, "url": endpoint.url})
        return {"id": endpoint.id, "url": endpoint.url, "events": endpoint.events, "secret": secret}


def _remove_endpoint(sessions: sessionmaker[Session], endpoint_id: int, user: User) -> dict[str, Any]:
    with sessions.begin() as session:
        try:
            endpoint = webhooks.deactivate_endpoint(session, endpoint_id)
        except webhooks.WebhookError as refused:
            raise ApiError(404, "unknown_endpoint", str(refused)) from None
        audit.record(session, user, "webhook_endpoint_removed", detail={"endpoint_id": endpoint_id, "url": endpoint.url})
        return {"id": endpoint_id, "active": False}


def _delivery_out(delivery: WebhookDelivery, url: str) -> dict[str, Any]:
    return {"id": delivery.id, "event_type": delivery.event_type, "event_id": delivery.event_id, "endpoint_url": url,
            "attempts": delivery.attempts, "last_error": delivery.last_error, "last_status_code": delivery.last_status_code,
            "created_at": delivery.created_at}
