"""`rasa` with its HTTP API token taken from the environment instead of the command line.

A command line is readable by every user of the machine (`ps`); the environment of a process only
by its owner. kizuna starts the rasa server as

    .venv-rasa/bin/python -m bot.rasa_launcher run --enable-api ...   (KIZUNA_RASA_TOKEN set)

and rasa gets `--auth-token` in its own argument list, which no other process can see. The launcher also
checks action server replies with a validator built once (bot/action_response_check.py).
"""

from __future__ import annotations

import os
import sys

TOKEN_VARIABLE = "KIZUNA_RASA_TOKEN"


def with_token(arguments: list[str], token: str) -> list[str]:
    if not token:
        raise SystemExit(f"no rasa API token: set {TOKEN_VARIABLE} or run `kizuna setup`")
    return [*arguments, f"--auth-token={token}"]  # "=" form: a token may start with "-"


if __name__ == "__main__":
    from rasa.__main__ import main

    from bot.action_response_check import install

    install()
    sys.argv = ["rasa", *with_token(sys.argv[1:], os.environ.get(TOKEN_VARIABLE, ""))]
    main()
