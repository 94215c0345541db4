"""The running stacks (real rasa server, action server and console on a seeded SQLite database), each
started once and shared by every integration test of the run: `stack` with the team at work, and
`closed_stack` with the team away."""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import pytest

from kizuna.settings import get_settings
from churn.config import load_config
from turn_core.customer_scoring import refresh_scores
from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from kizuna.db.migrate import upgrade
from operations.demo import seed_demo_shop
from kizuna.secrets import ensure_secrets
from operations.stack import Stack
from tests.assistant import stack_settings, trained_assistant
from tests.conftest import DEMO_TODAY
from tests.integration.browser import launch_chromium

HOURS_VARIABLE = "KIZUNA_AGENT_HOURS"


@contextmanager
def _team_hours(hours: str) -> Iterator[None]:
    """The team's hours forced open or closed while the processes start (they take their environment then)."""
    before = os.environ.get(HOURS_VARIABLE)
    os.environ[HOURS_VARIABLE] = hours
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(HOURS_VARIABLE, None)
        else:
            os.environ[HOURS_VARIABLE] = before


def _running_stack(var_dir, customers: int, hours: str, staff: dict[str, tuple[str, str]], score: bool):
    """A stack on a freshly seeded demo shop; `staff`: username -> (password, role) besides the admin."""
    trained_assistant()
    url = f"sqlite:///{var_dir / 'kizuna.db'}"
    upgrade(url)
    with session_scope(url) as session:
        seed_demo_shop(session, customers=customers, today=DEMO_TODAY)
    if score:  # too few customers to train a churn model: value, tier and segment
        refresh_scores(url, DEMO_TODAY, load_config(get_settings().intelligence_config_path), var_dir / "churn-model")
    secrets = ensure_secrets(var_dir)  # the admin's password, the widget's token secret
    with session_scope(url) as session:
        create_user(session, "admin", secrets["admin_password"], "admin")
        for username, (password, role) in staff.items():
            create_user(session, username, password, role)
    with _team_hours(hours):
        running = Stack(stack_settings(var_dir, url), var_dir / "logs")
        running.start(timeout=300)
    return running, url


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The whole stack while the team is at work (whatever the clock says), so a request for a person is queued."""
    running, url = _running_stack(tmp_path_factory.mktemp("stack"), 40, "open", {}, score=True)
    yield running, url
    running.stop()


@pytest.fixture(scope="session")
def closed_stack(tmp_path_factory):
    """The whole stack, started while the team's hours are forced closed."""
    staff = {"sam": ("sam-password-123", "agent"), "tina": ("tina-password-123", "trainer")}
    running, url = _running_stack(tmp_path_factory.mktemp("closed"), 20, "closed", staff, score=False)
    yield running, url
    running.stop()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the browser tests of one module."""
    yield from launch_chromium()


@pytest.fixture
def context(browser):
    """A fresh browser profile (no localStorage, no cookies) for one test."""
    context = browser.new_context()
    yield context
    context.close()
