"""Latency of one customer turn through the console, against the same messages sent straight
to Rasa's kizuna channel (with its token), in the same run on a fresh stack.

    .venv/bin/python benchmarks/turn_latency.py [--turns 60]

Prints p50/p95 in milliseconds for both paths and their ratio (console / direct).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from console.rasa_client import WEBHOOK_PATH
from kizuna import nlu
from kizuna.db.engine import session_scope
from kizuna.db.migrate import upgrade
from kizuna.demo import seed_demo_shop
from kizuna.rasa_env import free_port
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings, get_settings
from kizuna.stack import Stack

MESSAGES = [
    "hi", "which payment methods do you take?", "where is my order 10003", "how long does delivery take",
    "I forgot my password", "can I get a refund?", "thanks!", "bye",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(send, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        send(text)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=64, help="turns per path (default 64)")
    args = parser.parse_args()
    nlu.train(get_settings())
    with tempfile.TemporaryDirectory() as tmp:
        var_dir = Path(tmp)
        url = f"sqlite:///{var_dir / 'bench.db'}"
        upgrade(url)
        with session_scope(url) as session:
            seed_demo_shop(session, customers=50)
        ensure_secrets(var_dir)  # the action server's and the channel's tokens
        settings = Settings(var_dir=var_dir, database_url=url, rasa_url=f"http://127.0.0.1:{free_port()}",
                            rasa_token="bench", action_server_port=free_port(), console_port=free_port())
        # One conversation sends every message as fast as it can: lift the per-conversation limit a customer has.
        os.environ["KIZUNA_RATE_LIMIT_CONVERSATION"] = "100000/minute"
        stack = Stack(settings, var_dir / "logs")
        stack.start()
        try:
            texts = [MESSAGES[i % len(MESSAGES)] for i in range(args.turns)]
            with httpx.Client(timeout=60) as client:
                console_conv, rasa_conv = f"bench-{uuid.uuid4().hex[:8]}", f"bench-{uuid.uuid4().hex[:8]}"

                secret: dict[str, str] = {}  # the conversation's, from the reply to its first message

                def via_console(text: str) -> None:
                    response = client.post(f"{stack.console_url}/api/conversations/{console_conv}/messages", headers=secret,
                                           json={"text": text, "client_message_id": uuid.uuid4().hex})
                    response.raise_for_status()
                    if not secret:
                        secret["X-Conversation-Secret"] = response.json()["conversation_secret"]

                def direct(text: str) -> None:
                    client.post(f"{settings.rasa_url}{WEBHOOK_PATH}", headers={"Authorization": f"Bearer {settings.effective_channel_token}"},
                                json={"sender": rasa_conv, "message": text}).raise_for_status()

                timed(direct, MESSAGES)  # warm-up both paths
                timed(via_console, MESSAGES)
                direct_ms, console_ms = [], []
                for text in texts:  # interleaved, so both see the same machine load
                    direct_ms += timed(direct, [text])
                    console_ms += timed(via_console, [text])
        finally:
            stack.stop()
    report = {
        "turns": args.turns,
        "direct_rasa_ms": {"p50": round(statistics.median(direct_ms), 1), "p95": round(percentile(direct_ms, 0.95), 1)},
        "console_ms": {"p50": round(statistics.median(console_ms), 1), "p95": round(percentile(console_ms, 0.95), 1)},
    }
    report["ratio_p50"] = round(report["console_ms"]["p50"] / report["direct_rasa_ms"]["p50"], 2)
    report["ratio_p95"] = round(report["console_ms"]["p95"] / report["direct_rasa_ms"]["p95"], 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
