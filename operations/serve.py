"""One process in the foreground, for a service manager or one replica of several.

`kizuna run` starts all three processes on one machine; `kizuna serve rasa|actions|console` starts
one, logging to stdout, and stops it on SIGTERM. A served rasa follows promotions: when
`kizuna nlu retrain` or `rollback` changes the promoted model, every rasa replica loads it.
"""

from __future__ import annotations

import logging
import signal
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

from kizuna.rasa_client import load_into_server, rasa_status
from kizuna.settings import Settings
from operations.stack import ManagedProcess, rasa_process
from retraining.nlu_models import promoted_model, serving_model

logger = logging.getLogger(__name__)


class PromotionFollower:
    """Loads the promoted NLU model into one rasa server when it differs from the model it serves.

    A rasa server answers nothing while it loads a model, so with Redis configured the replicas take
    turns: one loads while the others keep answering."""

    def __init__(self, settings: Settings, url: str, token: str) -> None:
        self.settings, self.url, self.token = settings, url, token

    def check(self) -> Optional[Path]:
        """The model loaded by this check, if any."""
        promoted = promoted_model(self.settings)
        if promoted is None or promoted.name == self._served_name():
            return None
        with one_replica_at_a_time(self.settings.redis_url, "kizuna:loading-nlu-model") as ours:
            if not ours:
                return None  # another replica is loading; the next check tries again
            logger.info("loading the promoted model %s", promoted.name)
            load_into_server(self.url, self.token, promoted)
        return promoted

    def _served_name(self) -> Optional[str]:
        status = rasa_status(self.url, self.token, timeout=5.0)
        if status is None:
            return None  # not up (yet): nothing to compare; the next check will tell
        return Path(status.get("model_file") or "").name


@contextmanager
def one_replica_at_a_time(redis_url: str, name: str, longest_seconds: int = 600) -> Iterator[bool]:
    """Whether this replica got the turn (always, without Redis); the turn ends on exit or after `longest_seconds`."""
    if not redis_url:
        yield True
        return
    import redis

    lock = redis.from_url(redis_url, socket_timeout=5).lock(name, timeout=longest_seconds)
    if not lock.acquire(blocking=False):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def supervise(managed: ManagedProcess, every: Optional[Callable[[], object]] = None, period: float = 5.0) -> int:
    """Run `managed` until it exits or this process gets SIGTERM/SIGINT; call `every` each period. Its exit code."""
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    managed.start()
    next_tick = time.monotonic() + period
    while not stopping and managed.running():
        time.sleep(0.2)
        if every is not None and time.monotonic() >= next_tick:
            next_tick = time.monotonic() + period
            _call_logged(every)
    managed.stop()
    assert managed.process is not None
    return 0 if stopping else (managed.process.returncode or 1)


def _call_logged(function: Callable[[], object]) -> None:
    try:
        function()
    except Exception as error:  # a failed check must not stop the server it watches
        logger.warning("%s failed: %s", getattr(function, "__qualname__", "check"), error)


def serve_rasa(settings: Settings) -> int:
    model = serving_model(settings)
    if model is None:
        raise FileNotFoundError("no trained assistant; run `kizuna setup` (or `kizuna nlu train`) first")
    follower = PromotionFollower(settings, settings.rasa_url, settings.effective_rasa_token)
    return supervise(rasa_process(settings, model, None), every=follower.check)
