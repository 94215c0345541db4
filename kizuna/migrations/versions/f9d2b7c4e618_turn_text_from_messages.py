"""a customer's text is stored once: turn analyses read theirs from their message

Every turn analysis gets its message: the one it names, else its `msg:<id>` turn key's, else the
unclaimed customer message of its conversation with the same text (the closest in time); a turn with
no such message keeps its text in a new customer message (its masked text and encrypted original,
at the turn's message time). Then turn_analyses loses its own copy (text, original_encrypted).
The downgrade gives the columns back, filled from the messages.

On SQLite the columns are dropped and added in place (ALTER TABLE, SQLite 3.35 or newer), never by
copying the table: the migration runs with foreign keys enforced, and dropping turn_analyses to
rebuild it would delete the inbox reviews, corrections and retention decisions that refer to it.

Revision ID: f9d2b7c4e618
Revises: e7c3a9d1f582
Create Date: 2026-12-07 11:00:00
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any, Optional

import sqlalchemy as sa
from alembic import op

revision = "f9d2b7c4e618"
down_revision = "e7c3a9d1f582"
branch_labels = None
depends_on = None

CHUNK = 500  # conversations handled per round

conversations = sa.table(
    "conversations",
    sa.column("id", sa.String), sa.column("customer_id", sa.Integer), sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
)
messages = sa.table(
    "messages",
    sa.column("id", sa.Integer), sa.column("conversation_id", sa.String), sa.column("direction", sa.String),
    sa.column("sender", sa.String), sa.column("text", sa.Text), sa.column("original_encrypted", sa.Text),
    sa.column("status", sa.String), sa.column("created_at", sa.DateTime(timezone=True)),
)
turns = sa.table(
    "turn_analyses",
    sa.column("id", sa.Integer), sa.column("conversation_id", sa.String), sa.column("turn_key", sa.String),
    sa.column("message_id", sa.Integer), sa.column("customer_id", sa.Integer), sa.column("text", sa.Text),
    sa.column("original_encrypted", sa.Text), sa.column("message_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    bind = op.get_bind()
    _require_sqlite_drop_column(bind)
    conversation_ids = [row[0] for row in bind.execute(sa.select(turns.c.conversation_id).distinct()
                                                       .order_by(turns.c.conversation_id))]
    for start in range(0, len(conversation_ids), CHUNK):
        _link_turns(bind, conversation_ids[start:start + CHUNK])
    with op.batch_alter_table("turn_analyses", recreate="never") as batch:
        batch.drop_column("original_encrypted")
        batch.drop_column("text")


def downgrade() -> None:
    with op.batch_alter_table("turn_analyses", recreate="never") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("original_encrypted", sa.Text(), nullable=True))
    of_message = sa.select(messages.c.text).where(messages.c.id == turns.c.message_id).scalar_subquery()
    original = sa.select(messages.c.original_encrypted).where(messages.c.id == turns.c.message_id).scalar_subquery()
    op.get_bind().execute(sa.update(turns).where(turns.c.message_id.is_not(None))
                          .values(text=sa.func.coalesce(of_message, ""), original_encrypted=original))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot drop a default in place; the column keeps it there
        op.alter_column("turn_analyses", "text", server_default=None)


def _link_turns(bind: sa.Connection, conversation_ids: list[str]) -> None:
    rows = bind.execute(sa.select(turns).where(turns.c.conversation_id.in_(conversation_ids))
                        .order_by(turns.c.conversation_id, turns.c.id)).mappings().all()
    inbound = bind.execute(sa.select(messages.c.id, messages.c.conversation_id, messages.c.text, messages.c.created_at)
                           .where(messages.c.conversation_id.in_(conversation_ids), messages.c.direction == "in")
                           ).mappings().all()
    by_id = {m["id"]: m for m in inbound}
    of_conversation = {row[0]: row[1] for row in bind.execute(
        sa.select(messages.c.id, messages.c.conversation_id).where(messages.c.conversation_id.in_(conversation_ids)))}
    linked = [row for row in rows if row["message_id"] is not None
              and of_conversation.get(row["message_id"]) == row["conversation_id"]]
    claimed = {row["message_id"] for row in linked}
    found: dict[int, int] = {}
    linked_ids = {row["id"] for row in linked}
    unlinked = [row for row in rows if row["id"] not in linked_ids]
    for row in unlinked:  # first the messages the turn keys name, so no text match takes them
        message_id = _keyed_message(row, by_id, claimed)
        if message_id is not None:
            found[row["id"]] = message_id
            claimed.add(message_id)
    known = set(bind.execute(sa.select(conversations.c.id).where(conversations.c.id.in_(conversation_ids))).scalars())
    for row in unlinked:
        message_id = found.get(row["id"]) or _same_text_message(row, inbound, claimed)
        if message_id is None:
            if row["conversation_id"] not in known:
                _create_conversation(bind, row)
                known.add(row["conversation_id"])
            message_id = _create_message(bind, row)
        claimed.add(message_id)
        bind.execute(sa.update(turns).where(turns.c.id == row["id"]).values(message_id=message_id))


def _keyed_message(row: Any, by_id: dict[int, Any], claimed: set[int]) -> Optional[int]:
    """The message a `msg:<id>` turn key names, if it is a customer message of the same conversation."""
    key = row["turn_key"] or ""
    if not key.startswith("msg:") or not key[4:].isdigit():
        return None
    message = by_id.get(int(key[4:]))
    if message is None or message["conversation_id"] != row["conversation_id"] or message["id"] in claimed:
        return None
    return message["id"]


def _same_text_message(row: Any, inbound: list[Any], claimed: set[int]) -> Optional[int]:
    candidates = [m for m in inbound if m["conversation_id"] == row["conversation_id"] and m["text"] == row["text"]
                  and m["id"] not in claimed]
    if not candidates:
        return None
    moment = _timestamp(row["message_at"] or row["created_at"])
    return min(candidates, key=lambda m: (abs(_timestamp(m["created_at"]) - moment), m["id"]))["id"]


def _create_message(bind: sa.Connection, row: Any) -> int:
    at = row["message_at"] or row["created_at"] or datetime.now(timezone.utc)
    result = bind.execute(sa.insert(messages).values(
        conversation_id=row["conversation_id"], direction="in", sender="customer", text=row["text"] or "",
        original_encrypted=row["original_encrypted"], status="stored", created_at=at).returning(messages.c.id))
    return int(result.scalar_one())


def _create_conversation(bind: sa.Connection, row: Any) -> None:
    at = row["message_at"] or row["created_at"] or datetime.now(timezone.utc)
    bind.execute(sa.insert(conversations).values(id=row["conversation_id"], customer_id=row["customer_id"], status="bot",
                                                 created_at=at, updated_at=at))


def _timestamp(moment: Optional[datetime]) -> float:
    if moment is None:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp()


def _require_sqlite_drop_column(bind: sa.Connection) -> None:
    if bind.dialect.name == "sqlite" and sqlite3.sqlite_version_info < (3, 35, 0):
        raise RuntimeError(f"this migration needs SQLite 3.35 or newer (ALTER TABLE ... DROP COLUMN); "
                           f"Python's sqlite3 has {sqlite3.sqlite_version}")
