"""win-back campaigns: campaigns, their runs and contacts, outbound e-mail, outreach events, webhooks;
marketing consent on customers and the retention code used on an order

Revision ID: a3c5e7f9b120
Revises: f9d2b7c4e618
Create Date: 2026-12-07 14:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a3c5e7f9b120"
down_revision = "f9d2b7c4e618"
branch_labels = None
depends_on = None


def _moment(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.add_column("customers", sa.Column("marketing_opt_in", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("customers", _moment("unsubscribed_at"))
    op.add_column("orders", sa.Column("offer_code", sa.String(20), nullable=True))
    op.create_index("ix_orders_offer_code", "orders", ["offer_code"])
    _add_redemption_to_chat_offers()

    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
        sa.Column("description", sa.Text()),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("offer_ids", sa.JSON()),
        sa.Column("holdout_share", sa.Float(), nullable=False),
        sa.Column("daily_budget", sa.Float(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(80), nullable=False),
        _moment("created_at", False), _moment("updated_at", False),
        sa.Column("approved_by", sa.String(80)), _moment("approved_at"),
    )
    op.create_table(
        "campaign_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("run_day", sa.Date(), nullable=False),
        sa.Column("trigger", sa.String(10), nullable=False),
        sa.Column("started_by", sa.String(80), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("summary", sa.JSON()),
        sa.Column("error", sa.Text()),
        _moment("started_at", False), _moment("finished_at"),
    )
    op.create_table(
        "campaign_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("campaign_runs.id", ondelete="SET NULL"), index=True),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("contact_day", sa.Date(), nullable=False),
        sa.Column("arm", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("offer_id", sa.String(40), nullable=False),
        sa.Column("offer_kind", sa.String(20), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.Column("expected_gain", sa.Float(), nullable=False),
        sa.Column("churn_probability", sa.Float()),
        sa.Column("value_12m", sa.Float()),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("segment", sa.String(32), nullable=False),
        sa.Column("code", sa.String(20), unique=True),
        sa.Column("valid_until", sa.Date()),
        _moment("created_at", False), _moment("sent_at"), _moment("opened_at"), _moment("clicked_at"), _moment("redeemed_at"),
        sa.Column("redeemed_order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="SET NULL")),
        sa.UniqueConstraint("campaign_id", "customer_id", "contact_day", name="uq_campaign_contact_day"),
    )
    op.create_index("ix_campaign_contacts_created_at", "campaign_contacts", ["created_at"])
    op.create_table(
        "outbound_emails",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("campaign_contacts.id", ondelete="CASCADE"), unique=True),
        sa.Column("customer_id", sa.Integer(), sa.ForeignKey("customers.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("to_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _moment("next_attempt_at", False),
        sa.Column("last_error", sa.Text()),
        sa.Column("message_id", sa.String(200)),
        _moment("created_at", False), _moment("sent_at"),
    )
    op.create_index("ix_outbound_emails_next_attempt_at", "outbound_emails", ["next_attempt_at"])
    op.create_table(
        "outreach_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("contact_id", sa.Integer(), sa.ForeignKey("campaign_contacts.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("detail", sa.JSON()),
        _moment("at", False),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(200)),
        sa.Column("created_by", sa.String(80), nullable=False),
        _moment("created_at", False),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("endpoint_id", sa.Integer(), sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _moment("next_attempt_at", False),
        sa.Column("last_error", sa.Text()),
        sa.Column("last_status_code", sa.Integer()),
        _moment("created_at", False), _moment("delivered_at"),
        sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_delivery_event"),
    )
    op.create_index("ix_webhook_deliveries_next_attempt_at", "webhook_deliveries", ["next_attempt_at"])


def _add_redemption_to_chat_offers() -> None:
    op.add_column("issued_offers", _moment("redeemed_at"))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a column with its reference in place, without a table copy
        op.execute("ALTER TABLE issued_offers ADD COLUMN redeemed_order_id INTEGER REFERENCES orders (id) ON DELETE SET NULL")
    else:
        op.add_column("issued_offers", sa.Column("redeemed_order_id", sa.Integer(), sa.ForeignKey("orders.id", ondelete="SET NULL")))


def downgrade() -> None:
    for table in ("webhook_deliveries", "webhook_endpoints", "outreach_events", "outbound_emails",
                  "campaign_contacts", "campaign_runs", "campaigns"):
        op.drop_table(table)
    with op.batch_alter_table("issued_offers") as batch:
        batch.drop_column("redeemed_order_id")
        batch.drop_column("redeemed_at")
    op.drop_index("ix_orders_offer_code", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("offer_code")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("unsubscribed_at")
        batch.drop_column("marketing_opt_in")
