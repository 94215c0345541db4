"""The sentiment model of this action server process: loaded once, on first use."""

from __future__ import annotations

import logging
import threading
from typing import Optional

from kizuna.settings import get_settings
from sentiment.fast import load_sentiment_model
from sentiment.model import Prediction

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_model = None
_load_failed = False


def _loaded_model():  # type: ignore[no-untyped-def]
    global _model, _load_failed
    with _lock:
        if _model is None and not _load_failed:
            path = get_settings().sentiment_model_dir
            try:
                _model = load_sentiment_model(path, fast=True)
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
    """Forget the loaded model (tests, or after a retrain)."""
    global _model, _load_failed
    with _lock:
        _model, _load_failed = None, False
