"""Support activity per day and offer results per arm, for the analytics page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from statistics import mean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import Conversation, IssuedOffer, RetentionDecision, TurnAnalysis


def _since(days: int, today: date) -> datetime:
    return datetime.combine(today - timedelta(days=days - 1), time.min, tzinfo=timezone.utc)


def _day(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).date()


def daily_activity(session: Session, days: int, today: date) -> list[dict[str, Any]]:
    """One row per day: conversations started, average turn sentiment, flagged turns, escalations."""
    since = _since(days, today)
    started = defaultdict(int)
    for (created,) in session.execute(select(Conversation.created_at).where(Conversation.created_at >= since)):
        started[_day(created)] += 1
    sentiment = defaultdict(list)
    for at, score in session.execute(select(TurnAnalysis.created_at, TurnAnalysis.sentiment_score)
                                     .where(TurnAnalysis.created_at >= since, TurnAnalysis.sentiment_score.is_not(None))):
        sentiment[_day(at)].append(score)
    flags, escalations = defaultdict(int), defaultdict(int)
    for at, action in session.execute(select(RetentionDecision.created_at, RetentionDecision.action)
                                      .where(RetentionDecision.created_at >= since, RetentionDecision.action != "none")):
        (escalations if action == "escalate" else flags)[_day(at)] += 1
    rows = []
    for offset in range(days):
        day = since.date() + timedelta(days=offset)
        rows.append({"day": day.isoformat(), "conversations": started[day],
                     "average_sentiment": round(mean(sentiment[day]), 3) if sentiment[day] else None,
                     "flagged": flags[day], "escalations": escalations[day]})
    return rows


def offers_by_arm(session: Session, days: int, today: date) -> list[dict[str, Any]]:
    """Per offer: how often it was made and accepted; the control group's would-be offers as their own arm."""
    since = _since(days, today)
    arms: dict[str, dict[str, Any]] = defaultdict(lambda: {"made": 0, "accepted": 0, "declined": 0})
    for offer_id, status in session.execute(select(IssuedOffer.offer_id, IssuedOffer.status).where(IssuedOffer.offered_at >= since)):
        arms[offer_id]["made"] += 1
        if status in ("accepted", "declined"):
            arms[offer_id][status] += 1
    control = session.scalars(select(RetentionDecision.id).where(RetentionDecision.created_at >= since,
                                                                   RetentionDecision.action == "control")).all()
    rows = [{"arm": arm, **counts} for arm, counts in sorted(arms.items())]
    rows.append({"arm": "control (held back)", "made": len(control), "accepted": 0, "declined": 0})
    return rows
