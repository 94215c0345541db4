"""Custom actions of the assistant, served by the rasa-sdk action server."""

from actions.answers import ActionAnswer  # noqa: F401
from actions.orders import (  # noqa: F401
    ActionAskOrderId,
    ActionAskOrderProof,
    ActionCancelOrder,
    ActionKeepOrder,
    ActionOrderLookup,
    ValidateOrderNumberForm,
)
from actions.turn_analysis import ActionAnalyzeTurn  # noqa: F401
