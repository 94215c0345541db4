"""Who may receive campaign e-mail: consent to marketing given and not withdrawn, one plain address to send it
to, and not erased. One rule, for choosing a campaign's audience and for the last check before an e-mail leaves."""

from __future__ import annotations

from typing import Optional

from kizuna.db.models import Customer
from kizuna.email_address import is_plain_address


def consent_problem(customer: Optional[Customer]) -> Optional[str]:
    """Why the customer may not be mailed now, or None. A customer who is gone counts as erased."""
    if customer is None:
        return "customer erased"
    return consent_problem_of(opt_in=customer.marketing_opt_in, unsubscribed=customer.unsubscribed_at is not None,
                              email=customer.email, erased=customer.erased_at is not None)


def consent_problem_of(*, opt_in: bool, unsubscribed: bool, email: Optional[str], erased: bool = False) -> Optional[str]:
    """The same rule for what a query read of a customer (e.g. an audience candidate)."""
    if erased:
        return "customer erased"
    if unsubscribed:
        return "customer unsubscribed"
    if not opt_in:
        return "no marketing consent"
    if not (email and email.strip()):
        return "no e-mail address"
    if not is_plain_address(email.strip()):
        return "no usable e-mail address (not one plain address)"
    return None
