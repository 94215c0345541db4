"""Request bodies of the campaigns API. The rule and the limits are checked by outreach.campaign_fields, as for the CLI."""

from __future__ import annotations

import re
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field, field_validator

from console.schemas import clean_text, encodable
from outreach.campaign_fields import DEFAULT_DAILY_BUDGET, DEFAULT_HOLDOUT_SHARE, MAX_DAILY_BUDGET, MAX_HOLDOUT_SHARE

OFFER_ID_PATTERN = r"[a-z0-9_]{1,40}"


class CampaignSettings(BaseModel):
    """Who a campaign reaches, how, and its limits."""

    rule: dict[str, Any] = Field(description="Who: e.g. {\"min_churn_probability\": 0.5, \"min_tier\": \"silver\", \"min_days_since_order\": 45}.")
    channel: Literal["email", "widget"] = "email"
    offer_ids: Optional[list[str]] = Field(default=None, max_length=20, description="Offers allowed; null: any fitting offer of the catalog.")
    holdout_share: float = Field(default=DEFAULT_HOLDOUT_SHARE,
                                 description=f"Share kept out as the comparison, 0 to {MAX_HOLDOUT_SHARE}.")
    daily_budget: float = Field(default=DEFAULT_DAILY_BUDGET,
                                description=f"Cost of the offers sent per day, at most; 0 to {MAX_DAILY_BUDGET:,.0f}.")

    @field_validator("offer_ids")
    @classmethod
    def _offer_ids_are_ids(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        bad = [offer_id for offer_id in value if not isinstance(offer_id, str) or not _is_offer_id(offer_id)]
        if bad:
            raise ValueError(f"offer ids are lower-case letters, digits and _: {', '.join(map(repr, bad))}")
        return list(dict.fromkeys(value)) or None


class CampaignDraft(CampaignSettings):
    """What a preview needs: the settings in the form, saved or not."""

    campaign_id: Optional[int] = Field(default=None, ge=1, description="A saved campaign's id: its own holdout and what it did today count.")


class CampaignIn(CampaignSettings):
    name: str = Field(min_length=1, max_length=120)
    description: Optional[str] = Field(default=None, max_length=500)

    @field_validator("name")
    @classmethod
    def _name_is_text(cls, value: str) -> str:
        cleaned = clean_text(encodable(value))
        if not cleaned:
            raise ValueError("a campaign needs a name")
        return cleaned

    @field_validator("description")
    @classmethod
    def _description_is_text(cls, value: Optional[str]) -> Optional[str]:
        return (clean_text(encodable(value)) or None) if value is not None else None


class EndpointIn(BaseModel):
    url: str = Field(max_length=500, description="http(s) URL of the receiver.")
    events: list[str] = Field(min_length=1, max_length=10)
    description: Optional[str] = Field(default=None, max_length=200)


def _is_offer_id(value: str) -> bool:
    return re.fullmatch(OFFER_ID_PATTERN, value) is not None
