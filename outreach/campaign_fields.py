"""What a campaign may be set to: its name, rule, channel, offers, holdout share and daily budget, checked
before anything is saved (the console and the CLI both go through here)."""

from __future__ import annotations

from typing import Any, Iterable, Optional

from churn.config import load_config
from churn.tiers import DEFAULT_SEGMENT
from kizuna.db.campaigns import CHANNELS
from kizuna.db.models import CAMPAIGN_DAILY_BUDGET, CAMPAIGN_HOLDOUT_SHARE
from kizuna.settings import Settings
from retention.campaign_rule import RuleError, finite_number, parse_rule
from retention.catalog import load_catalog

MAX_NAME_CHARS = 120
MAX_HOLDOUT_SHARE = 0.5  # a holdout above half withholds the offer from most of the customers it is meant for
MAX_DAILY_BUDGET = 1_000_000.0  # in the shop's currency: far above any real day, it stops a typo's extra zeros
DEFAULT_HOLDOUT_SHARE = CAMPAIGN_HOLDOUT_SHARE
DEFAULT_DAILY_BUDGET = CAMPAIGN_DAILY_BUDGET


class CampaignError(ValueError):
    """A campaign setting that cannot be used; the message names it."""


def checked_fields(settings: Settings, *, rule: object, channel: str = "email", offer_ids: Optional[Iterable[str]] = None,
                   holdout_share: float = DEFAULT_HOLDOUT_SHARE, daily_budget: float = DEFAULT_DAILY_BUDGET) -> dict[str, Any]:
    """The fields as saved (the rule normalised); RuleError or CampaignError on the first mistake."""
    return {"rule": checked_rule(settings, rule), "channel": checked_channel(channel),
            "offer_ids": checked_offer_ids(settings, offer_ids), "holdout_share": checked_holdout(holdout_share),
            "daily_budget": checked_budget(daily_budget)}


def checked_rule(settings: Settings, rule: object) -> dict[str, Any]:
    """The rule as saved; its segments must be ones the customer scores use (a typo would select nobody)."""
    parsed = parse_rule(rule)
    known = set(load_config(settings.intelligence_config_path).segments) | {DEFAULT_SEGMENT}
    unknown = sorted((parsed.segments or set()) - known)
    if unknown:
        raise RuleError(f"segments: unknown segment(s) {', '.join(unknown)}; the customer scores use "
                        f"{', '.join(sorted(known))} (data/customers/intelligence.yml)")
    return parsed.to_dict()


def checked_name(name: object) -> str:
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > MAX_NAME_CHARS or any(ord(char) < 32 for char in text):
        raise CampaignError(f"name must be 1 to {MAX_NAME_CHARS} printable characters")
    return text


def checked_channel(channel: object) -> str:
    if channel not in CHANNELS:
        raise CampaignError(f"channel must be one of {', '.join(CHANNELS)}, not {channel!r}")
    return str(channel)


def checked_offer_ids(settings: Settings, offer_ids: Optional[Iterable[str]]) -> Optional[list[str]]:
    """None: any offer of the catalog that fits; else ids of offers the catalog words for campaigns."""
    if offer_ids is None:
        return None
    if isinstance(offer_ids, (str, bytes)) or not all(isinstance(offer_id, str) for offer_id in offer_ids):
        raise CampaignError("offer_ids must be a list of offer ids")
    ids = sorted(set(offer_ids))
    known = {offer.id for offer in load_catalog(settings.offer_catalog_path) if offer.for_outreach}
    unknown = [offer_id for offer_id in ids if offer_id not in known]
    if not ids or unknown:
        raise CampaignError(f"offer_ids: no campaign offer {', '.join(unknown) or '(none given)'}; "
                            f"campaigns can make {', '.join(sorted(known))} (the others are for the chat only)")
    return ids


def checked_holdout(share: object) -> float:
    number = _number("holdout_share", share)
    if not 0 <= number <= MAX_HOLDOUT_SHARE:
        raise CampaignError(f"holdout_share must be between 0 and {MAX_HOLDOUT_SHARE}, not {share}")
    return number


def checked_budget(budget: object) -> float:
    number = _number("daily_budget", budget)
    if not 0 <= number <= MAX_DAILY_BUDGET:
        raise CampaignError(f"daily_budget must be between 0 and {MAX_DAILY_BUDGET:,.0f}, not {budget}")
    return number


def _number(key: str, value: object) -> float:
    """A finite number, by the rule's own check (so both say the same), as a CampaignError."""
    try:
        return finite_number(key, value)
    except RuleError as error:
        raise CampaignError(str(error)) from None
