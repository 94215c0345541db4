"""Run in the Rasa environment by test_action_response_check.py: Rasa's check of action server replies,
once installed from bot/action_response_check.py, on a valid and an invalid reply."""

import json

from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.action_response_check import install, validate_action_result

VALID = {"events": [{"event": "slot", "name": "negative_trend", "value": False, "timestamp": None}],
         "responses": [{"text": "hello", "buttons": [], "custom": {}}]}
INVALID = {"events": [{"event": "slot", "name": 42}], "responses": "not a list"}

install()
action = RemoteAction("action_answer", None)
outcome = {"installed": RemoteAction._validate_action_result is validate_action_result, "valid": action._validate_action_result(VALID)}
try:
    action._validate_action_result(INVALID)
    outcome["invalid"] = "accepted"
except ValidationError as error:
    outcome["invalid"] = error.message
print(json.dumps(outcome))
