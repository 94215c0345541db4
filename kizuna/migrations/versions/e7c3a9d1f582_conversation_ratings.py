"""conversation ratings: the customer's 1-5 rating of a conversation when it ended, with a masked comment

Revision ID: e7c3a9d1f582
Revises: c9f1e7a3d5b2
Create Date: 2026-12-07 04:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = "e7c3a9d1f582"
down_revision = "c9f1e7a3d5b2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_ratings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("conversation_id", sa.String(length=64), sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customers.id", ondelete="SET NULL"), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("comment_original_encrypted", sa.Text(), nullable=True),
        sa.Column("handled_by", sa.String(length=10), nullable=False),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("conversation_id", name="uq_conversation_ratings_conversation_id"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_conversation_ratings_score"),
    )
    op.create_index("ix_conversation_ratings_customer_id", "conversation_ratings", ["customer_id"])
    op.create_index("ix_conversation_ratings_rated_at", "conversation_ratings", ["rated_at"])


def downgrade() -> None:
    op.drop_table("conversation_ratings")
