"""Reading the model registry: the serving model of a kind, the one before it, a version by name, the history."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import ModelVersion


def active_version(session: Session, kind: str) -> Optional[ModelVersion]:
    """The model of that kind that serves now, if any."""
    return session.scalar(select(ModelVersion).where(ModelVersion.kind == kind, ModelVersion.status == "active"))


def latest_retired(session: Session, kind: str) -> Optional[ModelVersion]:
    """The most recently promoted model of that kind that no longer serves."""
    return session.scalar(
        select(ModelVersion).where(ModelVersion.kind == kind, ModelVersion.status == "retired")
        .order_by(ModelVersion.promoted_at.desc(), ModelVersion.id.desc()).limit(1)
    )


def find_version(session: Session, kind: str, version: str) -> Optional[ModelVersion]:
    """The registered version of that kind and name, if any."""
    return session.scalar(select(ModelVersion).where(ModelVersion.kind == kind, ModelVersion.version == version))


def version_history(session: Session, kind: Optional[str] = None, limit: int = 50) -> list[ModelVersion]:
    """Registered versions, newest first; of one kind when `kind` is given."""
    query = select(ModelVersion).order_by(ModelVersion.created_at.desc(), ModelVersion.id.desc()).limit(limit)
    return list(session.scalars(query.where(ModelVersion.kind == kind) if kind else query))
