"""Tables of the app database."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    Date,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kizuna.conversation_status import ConversationStatus


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[Optional[str]] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    erased_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))  # personal data erased on request
    # Consent to marketing e-mail (an import's marketing_opt_in column); campaigns mail only those who gave it.
    marketing_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    unsubscribed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))  # honoured at once, never undone by an import

    orders: Mapped[list["Order"]] = relationship(back_populates="customer")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    expected_delivery: Mapped[Optional[date]] = mapped_column(Date)
    carrier: Mapped[Optional[str]] = mapped_column(String(40))
    tracking_number: Mapped[Optional[str]] = mapped_column(String(64))
    on_discount: Mapped[bool] = mapped_column(Boolean, default=False)  # bought with a discount or coupon
    new_product: Mapped[bool] = mapped_column(Boolean, default=False)  # contained a newly launched product
    offer_code: Mapped[Optional[str]] = mapped_column(String(20), index=True)  # a retention code used on the order

    customer: Mapped[Customer] = relationship(back_populates="orders")
    refunds: Mapped[list["Refund"]] = relationship(back_populates="order")
    invoices: Mapped[list["Invoice"]] = relationship(back_populates="order")


class Refund(Base):
    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[Optional[str]] = mapped_column(String(200))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    order: Mapped[Order] = relationship(back_populates="refunds")


class Invoice(Base):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_number: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    order: Mapped[Order] = relationship(back_populates="invoices")


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ConversationStatus.BOT)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    sentiment_trend: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    escalated_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    escalation_priority: Mapped[Optional[str]] = mapped_column(String(10))
    escalation_reasons: Mapped[Optional[list[Any]]] = mapped_column(JSON)
    agent_name: Mapped[Optional[str]] = mapped_column(String(80))  # the agent who owns it while status is "agent"
    outcome: Mapped[Optional[str]] = mapped_column(String(10))  # retained | lost | other, set when resolved
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[Optional[str]] = mapped_column(String(80))
    # SHA-256 of the secret the widget got with its first reply; None for conversations the widget API refuses
    secret_hash: Mapped[Optional[str]] = mapped_column(String(64))

    messages: Mapped[list["Message"]] = relationship(back_populates="conversation", order_by="Message.id")


class Message(Base):
    """One message in either direction; customer messages carry the widget's client_message_id."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "client_message_id", name="uq_message_client_id"),
        Index("ix_messages_conversation_id_id", "conversation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" from the customer, "out" to the customer
    sender: Mapped[str] = mapped_column(String(20))  # customer | bot | agent | system
    text: Mapped[str] = mapped_column(Text)  # a customer's text with personal data masked (kizuna.stored_text)
    original_encrypted: Mapped[Optional[str]] = mapped_column(Text)  # the unmasked text, only if so configured
    payload: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    client_message_id: Mapped[Optional[str]] = mapped_column(String(64))
    reply_to_id: Mapped[Optional[int]] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="stored")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class TurnAnalysis(Base):
    """What the assistant understood of one customer turn."""

    __tablename__ = "turn_analyses"
    __table_args__ = (UniqueConstraint("conversation_id", "turn_key", name="uq_turn_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    turn_key: Mapped[str] = mapped_column(String(64))
    # The customer's message: the turn's text (masked, and its encrypted original) is stored only there.
    # Set for every turn a customer wrote (kizuna.db.turns.record_turn); None for the demo shop's synthetic past
    # contacts (no text, only intent and sentiment) and if the message itself were deleted.
    message_id: Mapped[Optional[int]] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"), index=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    intent: Mapped[Optional[str]] = mapped_column(String(64))
    confidence: Mapped[Optional[float]]
    entities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    intent_ranking: Mapped[Optional[list[Any]]] = mapped_column(JSON)  # best guesses besides the fallback
    message_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    sentiment_label: Mapped[Optional[str]] = mapped_column(String(16))
    sentiment_score: Mapped[Optional[float]]
    sentiment_probs: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    sentiment_model: Mapped[Optional[str]] = mapped_column(String(80))
    trend: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    customer_profile: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    message: Mapped[Optional[Message]] = relationship()

    @property
    def message_text(self) -> str:
        """The turn's text as stored (personal data masked), read from its message; "" without one."""
        return self.message.text if self.message is not None else ""


class EngagementEvent(Base):
    """How often a customer did something on one day: site visits, logins, e-mails sent and opened."""

    __tablename__ = "engagement_events"
    __table_args__ = (
        UniqueConstraint("customer_id", "kind", "occurred_on", name="uq_engagement_day"),
        Index("ix_engagement_customer_day", "customer_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # visit | login | email_sent | email_opened
    occurred_on: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=1)


class CustomerScore(Base):
    """The precomputed view of a customer that a turn reads: risk, value, tier, segment."""

    __tablename__ = "customer_scores"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    churn_probability: Mapped[Optional[float]] = mapped_column(Float)
    predicted_value_12m: Mapped[Optional[float]] = mapped_column(Float)
    expected_orders_12m: Mapped[Optional[float]] = mapped_column(Float)
    tier: Mapped[str] = mapped_column(String(16), default="regular")
    segment: Mapped[str] = mapped_column(String(32), default="steady")
    churn_model: Mapped[Optional[str]] = mapped_column(String(80))
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RetentionDecision(Base):
    """What the retention policy decided for one customer turn, and why."""

    __tablename__ = "retention_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    turn_analysis_id: Mapped[int] = mapped_column(ForeignKey("turn_analyses.id", ondelete="CASCADE"), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(10))  # none | offer | escalate | control
    offer_id: Mapped[Optional[str]] = mapped_column(String(40))
    priority: Mapped[Optional[str]] = mapped_column(String(10))
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text)
    expected_gain: Mapped[Optional[float]] = mapped_column(Float)
    presented: Mapped[bool] = mapped_column(Boolean, default=False)  # shown to the customer by the dialogue
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IssuedOffer(Base):
    """An offer made to a customer; the code exists once it is accepted."""

    __tablename__ = "issued_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("retention_decisions.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    offer_id: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    cost: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="offered")  # offered | accepted | declined
    code: Mapped[Optional[str]] = mapped_column(String(20), unique=True)
    offered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    responded_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[Optional[date]] = mapped_column(Date)
    redeemed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))  # the code was used on an order
    redeemed_order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))


class User(Base):
    """A staff account of the console."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # agent | trainer | admin
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class StaffSession(Base):
    """A logged-in browser; only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """One failed login, kept for a while to throttle guessing."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AuditEntry(Base):
    """Who did what, when; the username is kept even if the account is deleted."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    conversation_id: Mapped[Optional[str]] = mapped_column(String(64), index=True)
    detail: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)


class ConversationNote(Base):
    """A private note of a staff member on a conversation; never shown to the customer."""

    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IntentReview(Base):
    """A customer turn in the trainers' inbox: the bot was unsure, fell back, or an agent flagged it."""

    __tablename__ = "intent_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    turn_analysis_id: Mapped[int] = mapped_column(ForeignKey("turn_analyses.id", ondelete="CASCADE"), unique=True)
    reason: Mapped[str] = mapped_column(String(20))  # low_confidence | fallback | flagged
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)  # pending | confirmed | relabelled | dismissed
    intent: Mapped[Optional[str]] = mapped_column(String(64))  # the intent a trainer confirmed or chose
    split: Mapped[str] = mapped_column(String(5))  # train | test: a stable share is kept to judge new models
    flagged_by: Mapped[Optional[str]] = mapped_column(String(80))
    reviewed_by: Mapped[Optional[str]] = mapped_column(String(80))
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SentimentCorrection(Base):
    """A staff member's label for a turn whose sentiment the model got wrong."""

    __tablename__ = "sentiment_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    turn_analysis_id: Mapped[int] = mapped_column(ForeignKey("turn_analyses.id", ondelete="CASCADE"), unique=True)
    label: Mapped[str] = mapped_column(String(16))  # negative | neutral | positive
    model_label: Mapped[Optional[str]] = mapped_column(String(16))  # what the model said
    split: Mapped[str] = mapped_column(String(5))  # train | test
    corrected_by: Mapped[str] = mapped_column(String(80))
    corrected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModelVersion(Base):
    """A trained model (the assistant's NLU or the sentiment model), its figures and whether it serves."""

    __tablename__ = "model_versions"
    __table_args__ = (UniqueConstraint("kind", "version", name="uq_model_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # nlu | sentiment
    version: Mapped[str] = mapped_column(String(120))
    path: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # active | retired | refused | rolled_back
    metrics: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)  # on the fixed test set
    compared_with: Mapped[Optional[str]] = mapped_column(String(120))
    baseline_metrics: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    training_seconds: Mapped[Optional[float]] = mapped_column(Float)
    incremental: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[Optional[str]] = mapped_column(Text)
    created_by: Mapped[Optional[str]] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    promoted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class TrainingJob(Base):
    """A retrain started from the console; the training process writes its progress here."""

    __tablename__ = "training_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # nlu | sentiment
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued | running | succeeded | failed
    stage: Mapped[str] = mapped_column(String(120), default="waiting to start")
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    started_by: Mapped[str] = mapped_column(String(80))
    options: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    result: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class Erasure(Base):
    """A customer's personal data was erased on request (`kizuna customers erase`); holds no personal data."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_external_id: Mapped[str] = mapped_column(String(64), index=True)
    erased_by: Mapped[str] = mapped_column(String(80))
    erased_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)  # what was erased, e.g. {"messages": 12, "tracker_events": 80}


class FollowUp(Base):
    """A customer asked for a person while the team was away and left a contact address: the agents' to-do.
    The address is stored only encrypted (kizuna.follow_ups), with a keyed hash to find it for an erasure."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(10), default="email")
    contact_encrypted: Mapped[str] = mapped_column(Text)
    contact_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | done
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    done_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    done_by: Mapped[Optional[str]] = mapped_column(String(80))


class ConversationRating(Base):
    """The customer's 1-5 rating of a conversation, asked for when it ended; at most one per conversation.
    The comment is masked like the customer's messages and erased with the customer."""

    __tablename__ = "conversation_ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="ck_conversation_ratings_score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[Optional[str]] = mapped_column(Text)  # personal data masked (kizuna.stored_text)
    comment_original_encrypted: Mapped[Optional[str]] = mapped_column(Text)  # the unmasked comment, only if so configured
    handled_by: Mapped[str] = mapped_column(String(10))  # bot | agent: whether an agent ever took the conversation on
    rated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


CAMPAIGN_HOLDOUT_SHARE = 0.1  # a new campaign's defaults (the limits are checked in outreach.campaign_fields)
CAMPAIGN_DAILY_BUDGET = 200.0


class Campaign(Base):
    """A saved outreach rule: who (the audience rule), how (channel, offers allowed), and its limits."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[Optional[str]] = mapped_column(Text)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)  # checked by retention.campaign_rule
    channel: Mapped[str] = mapped_column(String(10), default="email")  # email | widget
    offer_ids: Mapped[Optional[list[Any]]] = mapped_column(JSON)  # None: any offer of the catalog that fits
    holdout_share: Mapped[float] = mapped_column(Float, default=CAMPAIGN_HOLDOUT_SHARE)
    daily_budget: Mapped[float] = mapped_column(Float, default=CAMPAIGN_DAILY_BUDGET)  # the cost of the offers sent per day
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | active | paused
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    approved_by: Mapped[Optional[str]] = mapped_column(String(80))
    approved_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class CampaignRun(Base):
    """One run of a campaign (nightly or "run now"): what it selected and did, by reason."""

    __tablename__ = "campaign_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    run_day: Mapped[date] = mapped_column(Date)
    trigger: Mapped[str] = mapped_column(String(10))  # schedule | console | cli
    started_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default="running")  # running | done | failed
    summary: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)  # counts by outcome, cost, expected gain
    error: Mapped[Optional[str]] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class CampaignContact(Base):
    """A customer a campaign chose on a day, in either arm: the treated get the offer (an e-mail or a widget
    nudge), the holdout get nothing and are the comparison. At most one per campaign, customer and day, so a
    re-run sends nothing twice. Holds the offer's code and what became of it."""

    __tablename__ = "campaign_contacts"
    __table_args__ = (UniqueConstraint("campaign_id", "customer_id", "contact_day", name="uq_campaign_contact_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[Optional[int]] = mapped_column(ForeignKey("campaign_runs.id", ondelete="SET NULL"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    contact_day: Mapped[date] = mapped_column(Date)
    arm: Mapped[str] = mapped_column(String(10))  # treatment | holdout
    channel: Mapped[str] = mapped_column(String(10))  # email | widget
    # treatment: queued -> sent | parked | cancelled (e-mail), pending -> shown (widget); holdout: held_out
    status: Mapped[str] = mapped_column(String(10), index=True)
    offer_id: Mapped[str] = mapped_column(String(40))
    offer_kind: Mapped[str] = mapped_column(String(20))
    cost: Mapped[float] = mapped_column(Float)
    expected_gain: Mapped[float] = mapped_column(Float)
    churn_probability: Mapped[Optional[float]] = mapped_column(Float)  # the scores it was chosen on
    value_12m: Mapped[Optional[float]] = mapped_column(Float)
    tier: Mapped[str] = mapped_column(String(16))
    segment: Mapped[str] = mapped_column(String(32))
    code: Mapped[Optional[str]] = mapped_column(String(20), unique=True)  # treatment only
    valid_until: Mapped[Optional[date]] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))  # mailed, or the nudge shown
    opened_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    clicked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    redeemed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    redeemed_order_id: Mapped[Optional[int]] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))


class OutboundEmail(Base):
    """An e-mail waiting for, or done with, the SMTP server: rendered once, retried with backoff, parked
    after the last try (visible in the console, sent again from there), never lost."""

    __tablename__ = "outbound_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[Optional[int]] = mapped_column(ForeignKey("campaign_contacts.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # List-Unsubscribe and the like
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)  # queued | sent | parked | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    message_id: Mapped[Optional[str]] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))


class OutreachEvent(Base):
    """Something a contacted customer did: opened the e-mail, clicked a link, unsubscribed, redeemed the code."""

    __tablename__ = "outreach_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("campaign_contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # open | click | unsubscribe | redeem
    detail: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookEndpoint(Base):
    """A URL of the shop's other tools (CRM, e-mail platform) that receives signed events."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))  # signs every delivery (HMAC-SHA256); the receiver holds it too
    events: Mapped[list[Any]] = mapped_column(JSON)  # the event types it receives
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[Optional[str]] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookDelivery(Base):
    """One event for one endpoint, written in the same transaction as what it reports: retried with backoff,
    then dead (listed in the console, sent again from there)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_delivery_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    last_status_code: Mapped[Optional[int]] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
