"""customer intelligence: engagement events, discount/new-product flags, escalations, customer scores

Revision ID: 7b2e4c1d9a10
Revises: 536963c4d3f6
Create Date: 2026-11-23 03:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = "7b2e4c1d9a10"
down_revision = "536963c4d3f6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("on_discount", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("new_product", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("turn_analyses") as batch:
        batch.add_column(sa.Column("customer_profile", sa.JSON(), nullable=True))
    op.create_table(
        "engagement_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "kind", "occurred_on", name="uq_engagement_day"),
    )
    op.create_index("ix_engagement_customer_day", "engagement_events", ["customer_id", "occurred_on"])
    op.create_table(
        "customer_scores",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("churn_probability", sa.Float(), nullable=True),
        sa.Column("predicted_value_12m", sa.Float(), nullable=True),
        sa.Column("expected_orders_12m", sa.Float(), nullable=True),
        sa.Column("tier", sa.String(length=16), nullable=False),
        sa.Column("segment", sa.String(length=32), nullable=False),
        sa.Column("churn_model", sa.String(length=80), nullable=True),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id"),
    )


def downgrade() -> None:
    op.drop_table("customer_scores")
    op.drop_index("ix_engagement_customer_day", table_name="engagement_events")
    op.drop_table("engagement_events")
    with op.batch_alter_table("turn_analyses") as batch:
        batch.drop_column("customer_profile")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("escalated_at")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("new_product")
        batch.drop_column("on_discount")
