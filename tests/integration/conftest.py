"""One running stack (real rasa server, action server and console on a seeded SQLite database)
shared by every integration test of the run."""

from __future__ import annotations

import pytest

from churn.config import load_config
from churn.service import refresh_scores
from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from kizuna.db.migrate import upgrade
from kizuna.demo import seed_demo_shop
from kizuna.secrets import ensure_secrets
from kizuna.stack import Stack
from tests.assistant import stack_settings, trained_assistant
from tests.conftest import DEMO_TODAY
from tests.integration.browser import launch_chromium


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    trained_assistant()
    var_dir = tmp_path_factory.mktemp("stack")
    url = f"sqlite:///{var_dir / 'kizuna.db'}"
    upgrade(url)
    with session_scope(url) as session:
        seed_demo_shop(session, customers=40, today=DEMO_TODAY)
    refresh_scores(url, DEMO_TODAY, load_config(), var_dir / "churn-model")  # too few customers to train: value, tier, segment
    settings = stack_settings(var_dir, url)
    secrets = ensure_secrets(var_dir)  # the admin's password, the widget's token secret
    with session_scope(url) as session:
        create_user(session, "admin", secrets["admin_password"], "admin")
    running = Stack(settings, var_dir / "logs")
    running.start(timeout=300)
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
