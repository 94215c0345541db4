"""Model versions: which model serves, which were refused, and what a rollback returns to."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.orm import Session

from kizuna.db import model_versions
from kizuna.db.models import ModelVersion

KINDS = ("nlu", "sentiment")


class RegistryError(RuntimeError):
    pass


def active(session: Session, kind: str) -> Optional[ModelVersion]:
    return model_versions.active_version(session, kind)


def previous(session: Session, kind: str) -> Optional[ModelVersion]:
    """The model that served before the active one (what a rollback returns to)."""
    return model_versions.latest_retired(session, kind)


def find(session: Session, kind: str, version: str) -> Optional[ModelVersion]:
    """The registered version of that name, if a retrain registered it."""
    return model_versions.find_version(session, kind, version)


def history(session: Session, kind: Optional[str] = None, limit: int = 50) -> list[ModelVersion]:
    return model_versions.version_history(session, kind, limit)


def record(session: Session, kind: str, version: str, path: str, **fields: Any) -> ModelVersion:
    """Add a version (or update the one of that name: retraining the same data gives the same name)."""
    row = find(session, kind, version)
    if row is None:
        row = ModelVersion(kind=kind, version=version, path=path, status=fields.pop("status", "refused"))
        session.add(row)
    row.path = path
    for name, value in fields.items():
        setattr(row, name, value)
    session.flush()
    return row


def promote(session: Session, row: ModelVersion) -> None:
    """`row` serves from now on; the one serving before becomes what a rollback returns to."""
    current = active(session, row.kind)
    if current is not None and current.id != row.id:
        current.status = "retired"
    row.status, row.promoted_at = "active", datetime.now(timezone.utc)
    session.flush()


def rollback(session: Session, kind: str) -> tuple[ModelVersion, ModelVersion]:
    """(the model taken out, the model serving again)."""
    current, before = active(session, kind), previous(session, kind)
    if current is None or before is None:
        raise RegistryError(f"there is no earlier {kind} model to return to")
    if not Path(before.path).exists():
        raise RegistryError(f"{before.path} is gone; cannot serve {before.version} again")
    current.status = "rolled_back"
    before.status, before.promoted_at = "active", datetime.now(timezone.utc)
    session.flush()
    return current, before


def as_dict(row: ModelVersion) -> dict[str, Any]:
    return {
        "kind": row.kind, "version": row.version, "status": row.status, "path": row.path,
        "metrics": row.metrics, "compared_with": row.compared_with, "baseline_metrics": row.baseline_metrics,
        "training_seconds": row.training_seconds, "incremental": row.incremental, "note": row.note,
        "created_by": row.created_by, "created_at": row.created_at, "promoted_at": row.promoted_at,
    }
