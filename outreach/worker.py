"""The delivery worker (`kizuna serve worker`): every few seconds it sends the e-mail and the webhooks that
are due. Several workers may run at once; each e-mail and each delivery is claimed by one."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timezone

from sqlalchemy.orm import Session, sessionmaker

from kizuna.settings import Settings
from outreach import mail_delivery, webhook_delivery

POLL_SECONDS = 5.0

log = logging.getLogger(__name__)


def deliver_once(session_factory: sessionmaker[Session], settings: Settings, now: datetime) -> dict[str, dict[str, int]]:
    """One round: {"email": counts, "webhooks": counts}."""
    return {"email": mail_delivery.deliver_due(session_factory, settings, now=now),
            "webhooks": webhook_delivery.deliver_due(session_factory, settings, now=now)}


def run_worker(session_factory: sessionmaker[Session], settings: Settings, stop: threading.Event,
               poll_seconds: float = POLL_SECONDS) -> None:
    """Rounds until `stop` is set; a failing round is logged and the next one tries again."""
    while not stop.is_set():
        try:
            counts = deliver_once(session_factory, settings, datetime.now(timezone.utc))
            if any(counts["email"].values()) or any(counts["webhooks"].values()):
                log.info("delivered: %s", counts)
        except Exception:  # noqa: BLE001 - the worker outlives a database or network hiccup
            log.exception("delivery round failed; trying again in %.0f s", poll_seconds)
        stop.wait(poll_seconds)
