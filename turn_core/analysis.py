"""The turn analysis: what kizuna learns from one customer message, stored once.

Each turn is scored for sentiment once, the conversation's trend state is carried forward, and
the customer's precomputed churn risk, value, tier and segment are stored with the turn, and the
retention decision (carry on, offer, escalate) is made and stored; the answering actions then
show an offer or the handoff to the customer.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from sqlalchemy.orm import Session

from kizuna.settings import get_settings
from kizuna.db.customer_profiles import read_profile
from kizuna.db.engine import session_scope
from kizuna.db.models import TurnAnalysis
from kizuna.db.turns import Turn, conversation_for, find_turn, record_turn
from sentiment.model import Prediction
from sentiment.trend import TrendState, load_trend_config, update_trend
from turn_core.retention_step import decide_for_turn
from turn_core.sentiment_reader import score_message

logger = logging.getLogger(__name__)


def analyse_turn(turn: Turn) -> Optional[TrendState]:
    """Record the turn with its sentiment and update the conversation's trend (once per turn). Rasa runs this
    action again within some turns (a form starting); the repeat only reads what the first call stored."""
    with session_scope() as session:
        stored = find_turn(session, turn.conversation_id, turn.turn_key)
        if stored is not None:
            return TrendState.from_dict(stored.trend) if stored.trend else None
    prediction, version = score_message(turn.text)
    with session_scope() as session:
        row, created = record_turn(session, turn)
        if not created:
            return TrendState.from_dict(row.trend) if row.trend else None
        row.customer_profile = _customer_profile(session, row.customer_id)
        trend = _store_sentiment(session, row, prediction, version or "unknown") if prediction is not None else None
        _decide_safely(session, row, trend)
        return trend


def _decide_safely(session: Session, row: TurnAnalysis, trend: Optional[TrendState]) -> None:
    """A failing retention step must not cost the recorded turn: it runs in its own savepoint."""
    try:
        with session.begin_nested():
            decide_for_turn(session, row, trend)
    except Exception:
        logger.exception("retention decision failed for turn %s of %s", row.turn_key, row.conversation_id)


def _customer_profile(session: Session, customer_id: Optional[int]) -> Optional[dict[str, Any]]:
    """The customer's precomputed risk, value, tier and segment (refreshed by `kizuna churn score`)."""
    profile = read_profile(session, customer_id) if customer_id is not None else None
    return profile.to_dict() if profile else None


def _store_sentiment(session: Session, row: TurnAnalysis, prediction: Prediction, version: str) -> TrendState:
    conversation = conversation_for(session, row.conversation_id)
    previous = TrendState.from_dict(conversation.sentiment_trend) if conversation.sentiment_trend else None
    trend = update_trend(previous, prediction.score, load_trend_config(get_settings().trend_config_path))
    row.sentiment_label = prediction.label
    row.sentiment_score = prediction.score
    row.sentiment_probs = dict(prediction.probs)
    row.sentiment_model = version[:80]
    row.trend = trend.to_dict()
    conversation.sentiment_trend = trend.to_dict()
    return trend
