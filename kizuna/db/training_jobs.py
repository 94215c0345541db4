"""Reading training jobs: the retrain of a kind that has not finished."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import TrainingJob


def job_in_status(session: Session, kind: str, statuses: tuple[str, ...]) -> Optional[TrainingJob]:
    """A job of that kind whose status is one of `statuses`, if any."""
    return session.scalar(select(TrainingJob).where(TrainingJob.kind == kind, TrainingJob.status.in_(statuses)))
