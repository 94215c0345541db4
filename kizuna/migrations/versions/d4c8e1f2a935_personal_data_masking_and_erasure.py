"""personal data: encrypted originals of masked customer text, erased customers, erasure records

Revision ID: d4c8e1f2a935
Revises: a7d41c9e3f20
Create Date: 2026-11-27 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "d4c8e1f2a935"
down_revision = "a7d41c9e3f20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("original_encrypted", sa.Text(), nullable=True))
    with op.batch_alter_table("turn_analyses") as batch:
        batch.add_column(sa.Column("original_encrypted", sa.Text(), nullable=True))
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_external_id", sa.String(length=64), nullable=False),
        sa.Column("erased_by", sa.String(length=80), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_erasures_customer_external_id", "erasures", ["customer_external_id"])


def downgrade() -> None:
    op.drop_index("ix_erasures_customer_external_id", table_name="erasures")
    op.drop_table("erasures")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("erased_at")
    with op.batch_alter_table("turn_analyses") as batch:
        batch.drop_column("original_encrypted")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("original_encrypted")
