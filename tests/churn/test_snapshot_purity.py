"""The snapshot logic (a customer base's history, features at a cutoff, an order's status on a day) is domain
code: pandas only, no database, web or Rasa code, so it runs on any table."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "rasa", "rasa_sdk", "kizuna", "console", "actions")


def test_snapshot_code_loads_no_database_web_or_rasa_code():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, churn.history, churn.features, churn.order_status; print(*sys.modules)"],
        capture_output=True, text=True, check=True, timeout=60).stdout.split()
    assert sorted({name.split(".")[0] for name in loaded} & set(FORBIDDEN)) == []
