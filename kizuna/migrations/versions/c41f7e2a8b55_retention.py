"""retention: decisions, issued offers, escalation and ownership of conversations

Revision ID: c41f7e2a8b55
Revises: 7b2e4c1d9a10
Create Date: 2026-11-23 04:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = "c41f7e2a8b55"
down_revision = "7b2e4c1d9a10"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("escalation_priority", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("escalation_reasons", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("agent_name", sa.String(length=80), nullable=True))
    op.create_table(
        "retention_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("turn_analysis_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("offer_id", sa.String(length=40), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("expected_gain", sa.Float(), nullable=True),
        sa.Column("presented", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["turn_analysis_id"], ["turn_analyses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("turn_analysis_id"),
    )
    op.create_index("ix_retention_decisions_conversation_id", "retention_decisions", ["conversation_id"])
    op.create_index("ix_retention_decisions_customer_id", "retention_decisions", ["customer_id"])
    op.create_table(
        "issued_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("offer_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["decision_id"], ["retention_decisions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("decision_id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_issued_offers_customer_id", "issued_offers", ["customer_id"])
    op.create_index("ix_issued_offers_conversation_id", "issued_offers", ["conversation_id"])


def downgrade() -> None:
    op.drop_table("issued_offers")
    op.drop_table("retention_decisions")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("agent_name")
        batch.drop_column("escalation_reasons")
        batch.drop_column("escalation_priority")
