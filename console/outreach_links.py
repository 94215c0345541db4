"""The links in campaign e-mail, for the customer who received it (no login; the signed token is the proof):
the open pixel, the click-through to the shop and the unsubscribe page with its one-click POST (RFC 8058).
A token that is not genuine gets the same "not valid" page whatever was wrong with it."""

from __future__ import annotations

import base64
import html
from datetime import datetime, timezone
from typing import Optional

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from console import deps
from kizuna.db import email_responses
from kizuna.db.models import Customer
from kizuna.settings import Settings
from kizuna.shop import get_shop_config
from outreach.signed_links import CLICK, OPEN, UNSUBSCRIBE, verify

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# The pages style themselves inline and post only to themselves.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

router = APIRouter(include_in_schema=False)


@router.get("/o/{token}.gif")
def opened(token: str, sessions: deps.Sessions, settings: deps.AppSettings) -> Response:
    contact_id = _contact_id(settings, OPEN, token)
    if contact_id is None:
        return _not_valid()
    with sessions.begin() as session:
        if not email_responses.record_open(session, contact_id, _now()):
            return _not_valid()
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get("/c/{token}")
def clicked(token: str, sessions: deps.Sessions, settings: deps.AppSettings) -> Response:
    contact_id = _contact_id(settings, CLICK, token)
    if contact_id is None:
        return _not_valid()
    with sessions.begin() as session:
        if not email_responses.record_click(session, contact_id, _now()):
            return _not_valid()
    return RedirectResponse(shop_url(settings), status_code=303, headers=NO_STORE)


@router.get("/unsubscribe/{token}")
def unsubscribe_page(token: str, sessions: deps.Sessions, settings: deps.AppSettings) -> Response:
    """Asks first: mail scanners follow links, and only the customer's button (or their mail client's
    one-click POST) may unsubscribe."""
    ids = verify(settings.effective_link_secret, UNSUBSCRIBE, token)
    if ids is None or len(ids) != 2:
        return _not_valid()
    with sessions() as session:
        customer = session.get(Customer, ids[0])
        if customer is None:
            return _not_valid()
        already = customer.unsubscribed_at is not None
    shop = html.escape(get_shop_config().name)
    if already:
        return _page("Unsubscribed", f"<p>You are unsubscribed: {shop} sends you no more offers by e-mail.</p>")
    return _page("Unsubscribe", f"<p>Stop receiving offers from {shop} by e-mail?</p>"
                 '<form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">'
                 "Unsubscribe</button></form>")


@router.post("/unsubscribe/{token}")
def unsubscribe(token: str, sessions: deps.Sessions, settings: deps.AppSettings) -> Response:
    """Honoured at once, and again harmlessly; the customer's e-mail not sent yet is cancelled."""
    ids = verify(settings.effective_link_secret, UNSUBSCRIBE, token)
    if ids is None or len(ids) != 2:
        return _not_valid()
    with sessions.begin() as session:
        if not email_responses.unsubscribe(session, ids[0], ids[1], _now()):
            return _not_valid()
    shop = html.escape(get_shop_config().name)
    return _page("Unsubscribed", f"<p>You are unsubscribed: {shop} sends you no more offers by e-mail.</p>")


def shop_url(settings: Settings) -> str:
    """Where a click in the e-mail leads: the shop's `shop_url` in data/shop.yml, else the console's public URL."""
    configured = str(get_shop_config().facts.get("shop_url") or "")
    return configured if configured.startswith(("https://", "http://")) else settings.effective_public_url + "/"


def _contact_id(settings: Settings, purpose: str, token: str) -> Optional[int]:
    """The contact an open or click link was made for; None unless the token is genuine and for `purpose`."""
    ids = verify(settings.effective_link_secret, purpose, token)
    return ids[0] if ids is not None and len(ids) == 1 else None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _not_valid() -> Response:
    return _page("Link not valid", "<p>This link is not valid. If you copied it, please check that it is complete.</p>",
                 status_code=404)


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            "<style>body{font-family:Arial,Helvetica,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;"
            "color:#1f2933}button{font-size:1rem;padding:.6rem 1.2rem;border-radius:6px;border:0;"
            "background:#2563eb;color:#fff;cursor:pointer}</style></head>"
            f"<body><h1>{title}</h1>{body}</body></html>")
    return HTMLResponse(page, status_code=status_code,
                        headers={**NO_STORE, "Content-Security-Policy": PAGE_POLICY, "X-Robots-Tag": "noindex"})
