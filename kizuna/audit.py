"""The audit log: which staff member did what, when, to which conversation."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import AuditEntry, User


def record(session: Session, user: Optional[User], action: str, conversation_id: Optional[str] = None,
           detail: Optional[dict[str, Any]] = None) -> AuditEntry:
    """Add an entry to `session` (it is committed with the action it records)."""
    entry = AuditEntry(user_id=user.id if user else None, username=user.username if user else "", action=action,
                       conversation_id=conversation_id, detail=detail)
    session.add(entry)
    return entry


def recent(session: Session, limit: int = 200, conversation_id: Optional[str] = None) -> list[AuditEntry]:
    """Newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if conversation_id is not None:
        query = query.where(AuditEntry.conversation_id == conversation_id)
    return list(session.scalars(query))
