"""The action server: rasa-sdk's, on loopback, running actions only for callers that send its token.

Rasa sends the token of its action endpoint (bot/endpoints.yml) as the `token` query parameter.
`/health` stays open so that load balancers and the console can check it.

    python -m actions.server --port 5055
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from functools import partial

from rasa_sdk.endpoint import create_app_for_serve
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sanic.worker.loader import AppLoader
from kizuna.settings import get_settings

logger = logging.getLogger(__name__)


def guarded_app(executor: ActionExecutor, token: str) -> Sanic:
    """rasa-sdk's app, refusing webhook calls without the token (module level: Sanic pickles the factory)."""
    app = create_app_for_serve(executor, cors_origins=[])

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path == "/health":
            return None
        if not hmac.compare_digest(request.args.get("token", "").encode(), token.encode()):
            return json({"error": "a valid token is required"}, status=401)
        return None

    return app


def serve(port: int, token: str, host: str = "127.0.0.1") -> None:
    if not token:
        raise SystemExit("no action server token: run `kizuna setup` or set KIZUNA_ACTION_TOKEN")
    executor = ActionExecutor()
    executor.register_package("actions")
    loader = AppLoader(factory=partial(guarded_app, executor, token))
    app = loader.load()
    app.prepare(host=host, port=port, workers=1, single_process=True, motd=False, access_log=False)
    logger.info("action server listening on http://%s:%d", host, port)
    Sanic.serve_single(primary=app)


def main() -> None:
    parser = argparse.ArgumentParser(description="kizuna's action server (rasa-sdk), token-protected, on loopback.")
    parser.add_argument("--port", type=int, default=None, help="default: KIZUNA_ACTION_PORT (5055)")
    args = parser.parse_args()
    settings = get_settings()
    logging.basicConfig(level=os.environ.get("KIZUNA_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s  %(message)s")
    serve(args.port or settings.action_server_port, settings.effective_action_token)


if __name__ == "__main__":
    main()
