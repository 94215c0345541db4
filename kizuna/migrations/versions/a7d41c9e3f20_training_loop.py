"""review inbox, sentiment corrections, model versions, training jobs

Revision ID: a7d41c9e3f20
Revises: f3b8c2d6e401
Create Date: 2026-11-25 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "a7d41c9e3f20"
down_revision = "f3b8c2d6e401"
branch_labels = None
depends_on = None


def _turn_reference() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["turn_analysis_id"], ["turn_analyses.id"], ondelete="CASCADE")


def upgrade() -> None:
    with op.batch_alter_table("turn_analyses") as batch:
        batch.add_column(sa.Column("intent_ranking", sa.JSON(), nullable=True))
    op.create_table(
        "intent_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("turn_analysis_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=True),
        sa.Column("split", sa.String(length=5), nullable=False),
        sa.Column("flagged_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_by", sa.String(length=80), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _turn_reference(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("turn_analysis_id"),
    )
    op.create_index("ix_intent_reviews_status", "intent_reviews", ["status"])
    op.create_table(
        "sentiment_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("turn_analysis_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("model_label", sa.String(length=16), nullable=True),
        sa.Column("split", sa.String(length=5), nullable=False),
        sa.Column("corrected_by", sa.String(length=80), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        _turn_reference(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("turn_analysis_id"),
    )
    op.create_table(
        "model_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("version", sa.String(length=120), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=True),
        sa.Column("compared_with", sa.String(length=120), nullable=True),
        sa.Column("baseline_metrics", sa.JSON(), nullable=True),
        sa.Column("training_seconds", sa.Float(), nullable=True),
        sa.Column("incremental", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("promoted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "version", name="uq_model_version"),
    )
    op.create_table(
        "training_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("stage", sa.String(length=120), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("started_by", sa.String(length=80), nullable=False),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("training_jobs")
    op.drop_table("model_versions")
    op.drop_table("sentiment_corrections")
    op.drop_index("ix_intent_reviews_status", table_name="intent_reviews")
    op.drop_table("intent_reviews")
    with op.batch_alter_table("turn_analyses") as batch:
        batch.drop_column("intent_ranking")
