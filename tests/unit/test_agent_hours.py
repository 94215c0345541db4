"""The handoff message in and out of the agents' hours, with the clock passed in (never the real time of day)."""

from datetime import datetime, timezone

import pytest

from kizuna.agent_hours import agents_available
from actions.retention_dialogue import handoff_text

HOURS = {"timezone": "Europe/Berlin", "mon-fri": "09:00-18:00", "sat": "10:00-14:00"}  # as in data/shop.yml


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)  # November: Berlin is UTC+1; the 20th is a Friday


@pytest.mark.parametrize("now, available", [
    (utc(20, 10), True),          # Friday 11:00 in Berlin
    (utc(20, 8, 30), True),       # Friday 09:30 in Berlin (08:30 UTC would be closed if read as Berlin time)
    (utc(20, 17), False),         # Friday 18:00 in Berlin: closing time is exclusive
    (utc(20, 22), False),         # Friday night
    (utc(21, 12), True),          # Saturday 13:00
    (utc(21, 13, 30), False),     # Saturday 14:30
    (utc(22, 12), False),         # Sunday
])
def test_agents_are_available_in_the_shops_hours_and_time_zone(now, available):
    assert agents_available(HOURS, now) is available


def test_no_hours_configured_means_nobody_is_there():
    assert agents_available({}, utc(20, 10)) is False


@pytest.fixture(autouse=True)
def shop_hours(monkeypatch):
    monkeypatch.delenv("KIZUNA_AGENT_HOURS", raising=False)  # the shop's configured hours decide


def test_in_hours_the_customer_is_told_they_are_queued_for_an_agent():
    text = handoff_text(utc(20, 10))
    assert "queue" in text and "will join this chat" in text and "e-mail" not in text


@pytest.mark.parametrize("now", [utc(20, 22), utc(22, 12)])
def test_out_of_hours_nobody_is_promised_and_an_address_is_asked_for(now):
    text = handoff_text(now)
    assert "nobody can join this chat" in text and "Monday to Friday, 9:00 to 18:00" in text
    assert "your address" in text and "will join" not in text and "queue" not in text


def test_the_override_closes_the_team_whatever_the_clock(monkeypatch):
    monkeypatch.setenv("KIZUNA_AGENT_HOURS", "closed")
    assert "nobody can join this chat" in handoff_text(utc(20, 10))
