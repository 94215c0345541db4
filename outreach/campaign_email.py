"""A campaign's offer e-mail for one treated customer: rendered once with their name, the offer, its code and
expiry and the signed links, then queued for the delivery worker (outreach.mail_delivery)."""

from __future__ import annotations

from datetime import date, datetime
from email.headerregistry import Address
from email.utils import make_msgid, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Optional

from sqlalchemy.orm import Session

from kizuna.db.models import CampaignContact, Customer, OutboundEmail
from kizuna.email_address import address_problem
from kizuna.moments import as_utc
from kizuna.settings import Settings
from kizuna.shop import load_shop_config
from outreach import signed_links
from outreach.email_render import render_offer_email
from retention.catalog import Offer


def queue_offer_email(session: Session, settings: Settings, contact: CampaignContact, customer: Customer,
                      offer: Offer, *, not_before: datetime) -> OutboundEmail:
    """Add the queued e-mail to the caller's transaction; the worker sends it at `not_before` or later."""
    address = (customer.email or "").strip()
    if not address:
        raise ValueError(f"customer {customer.external_id} has no e-mail address")
    problem = address_problem(address)
    if problem is not None:  # a list, a group or a display name would mail every address in it
        raise ValueError(f"customer {customer.external_id}'s address is not one plain e-mail address: {problem}")
    if contact.id is None:
        session.flush()  # the links carry the contact's id
    public_url, secret = settings.effective_public_url, settings.effective_link_secret
    unsubscribe_url = signed_links.unsubscribe_url(public_url, secret, customer.id, contact.id)
    rendered = render_offer_email(
        settings.campaign_templates_dir,
        first_name=first_name(customer.name),
        shop_name=_shop_name(settings.shop_config_path),
        offer_text=(offer.outreach_text or offer.text).replace("{code}", contact.code or ""),
        code=contact.code,
        expiry=expiry_text(contact.valid_until),
        click_url=signed_links.click_url(public_url, secret, contact.id),
        open_url=signed_links.open_url(public_url, secret, contact.id),
        unsubscribe_url=unsubscribe_url,
    )
    email = OutboundEmail(
        contact_id=contact.id, customer_id=customer.id, to_address=address, subject=rendered.subject,
        text_body=rendered.text, html_body=rendered.html, headers=unsubscribe_headers(unsubscribe_url),
        status="queued", attempts=0, next_attempt_at=as_utc(not_before),
        message_id=make_msgid(domain=sender_domain(settings.mail_from)),
    )
    session.add(email)
    return email


def unsubscribe_headers(unsubscribe_url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: mail clients offer the button and POST to the link themselves."""
    return {"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def first_name(name: Optional[str]) -> str:
    words = (name or "").split()
    return words[0] if words else "there"


def expiry_text(valid_until: Optional[date]) -> str:
    return f"{valid_until:%A}, {valid_until.day} {valid_until:%B %Y}" if valid_until else ""


@lru_cache(maxsize=8)
def sender_domain(mail_from: str) -> str:
    address = parseaddr(mail_from)[1]
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"


@lru_cache(maxsize=4)
def _shop_name(shop_config_path: Path) -> str:
    return load_shop_config(shop_config_path).name
