"""Reading training jobs: the retrain of a kind that has not finished, the latest ones."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import TrainingJob


def recent_jobs(session: Session, kind: Optional[str], limit: int) -> list[TrainingJob]:
    """The latest jobs, newest first; of one kind when `kind` is given."""
    query = select(TrainingJob).order_by(TrainingJob.id.desc()).limit(limit)
    return list(session.scalars(query.where(TrainingJob.kind == kind) if kind else query))


def job_in_status(session: Session, kind: str, statuses: tuple[str, ...]) -> Optional[TrainingJob]:
    """A job of that kind whose status is one of `statuses`, if any."""
    return session.scalar(select(TrainingJob).where(TrainingJob.kind == kind, TrainingJob.status.in_(statuses)))
