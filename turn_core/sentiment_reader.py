"""The sentiment model of this process (the action server; the console or `kizuna backfill` catching up):
loaded on first use, and loaded again when a retrain or rollback installs another model (its model card changes)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Optional

from kizuna.settings import get_settings
from sentiment.fast import load_sentiment_model
from sentiment.model import Prediction, parse_label_map

logger = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 5.0
_lock = threading.Lock()
_model = None
_load_failed = False
_card_stamp: Optional[float] = None
_checked_at = 0.0


def _card_mtime() -> Optional[float]:
    try:
        return (get_settings().sentiment_model_dir / "model_card.json").stat().st_mtime
    except OSError:
        return None


def _replaced_since_load() -> bool:
    """Whether another model was installed; looked at most every few seconds (a stat, not a load)."""
    global _checked_at
    now = time.monotonic()
    if now - _checked_at < CHECK_EVERY_SECONDS:
        return False
    _checked_at = now
    return _card_mtime() != _card_stamp


def _loaded_model():  # type: ignore[no-untyped-def]
    global _model, _load_failed, _card_stamp
    with _lock:
        if _replaced_since_load():
            _model, _load_failed = None, False
        if _model is None and not _load_failed:
            settings = get_settings()
            path = settings.sentiment_model_dir
            _card_stamp = _card_mtime()
            try:
                _model = load_sentiment_model(path, fast=True, label_map=parse_label_map(settings.sentiment_labels))
                logger.info("sentiment model %s loaded from %s", _model.version, path)
            except Exception:  # a missing or broken model must not stop the conversation
                _load_failed = True
                logger.exception("no sentiment model at %s; turns are stored without sentiment", path)
        return _model


def score_message(text: str) -> tuple[Optional[Prediction], Optional[str]]:
    """(prediction, model version), or (None, None) when no model is available."""
    model = _loaded_model()
    if model is None:
        return None, None
    try:
        return model.predict([text])[0], model.version
    except Exception:  # never let one odd message break the turn
        logger.exception("sentiment scoring failed for one message")
        return None, None


def reset() -> None:
    """Forget the loaded model (tests)."""
    global _model, _load_failed, _card_stamp, _checked_at
    with _lock:
        _model, _load_failed, _card_stamp, _checked_at = None, False, None, 0.0
