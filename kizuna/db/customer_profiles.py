"""What a conversation turn knows about its customer: one primary-key read of the precomputed scores."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional

from sqlalchemy.orm import Session

from kizuna.db.models import CustomerScore


@dataclass(frozen=True)
class CustomerProfile:
    churn_probability: Optional[float]
    predicted_value_12m: Optional[float]
    tier: str
    segment: str
    scored_at: str

    def to_dict(self) -> dict:
        return asdict(self)


def read_profile(session: Session, customer_id: int) -> Optional[CustomerProfile]:
    score = session.get(CustomerScore, customer_id)
    if score is None:
        return None
    return CustomerProfile(score.churn_probability, score.predicted_value_12m, score.tier, score.segment,
                           score.scored_at.isoformat(timespec="seconds"))
