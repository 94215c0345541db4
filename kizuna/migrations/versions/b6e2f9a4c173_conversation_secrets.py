"""conversation secrets: only the widget that started a conversation may read it, follow it live and post to it

Revision ID: b6e2f9a4c173
Revises: d4c8e1f2a935
Create Date: 2026-12-06 22:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = "b6e2f9a4c173"
down_revision = "d4c8e1f2a935"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Conversations from before have no secret: the widget API refuses them (the staff console still shows them).
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("secret_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("secret_hash")
