"""Latency of one customer turn, one turn at a time (nothing else in flight), on three paths in the
same run, interleaved turn by turn so that all three see the same machine load:

1. console: POST /api/conversations/{id}/messages, the widget's API (console -> rasa -> action server);
2. rasa: the same messages straight to Rasa's kizuna channel with its token (no console);
3. bare rasa: a bare Rasa server (benchmarks/bare_rasa.py: Rasa's starter assistant, REST channel,
   no action server), with messages it understands: the cost of a Rasa turn with nothing of kizuna's.

    .venv/bin/python benchmarks/turn_latency.py [--turns 64] [--json]

It prints p50/p95 in milliseconds of each path; kizuna's overhead over bare Rasa (console p50 minus
bare rasa p50, goal at most 15 ms) and the console's own overhead (console p50 minus rasa p50).

It also prints the size of what the rasa server sends the action server at the 20th turn of a
conversation: the conversation's tracker as JSON with all its events (GET
/conversations/{id}/tracker?include_events=ALL, the console's conversation after its 20th turn),
which every action call carries, and the domain as JSON, which every action call carries too (the
action server's rasa-sdk asks for it by a digest that Rasa 3.6 does not send, so it cannot be left out).

The stack runs on a fresh seeded SQLite database in a temporary directory, with its own tokens
(var/secrets.json there), as the integration tests start it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bare_rasa  # noqa: E402

from kizuna.rasa_client import WEBHOOK_PATH  # noqa: E402
from retraining import nlu_models as nlu  # noqa: E402
from kizuna.db.engine import session_scope  # noqa: E402
from kizuna.db.migrate import upgrade  # noqa: E402
from operations.demo import seed_demo_shop  # noqa: E402
from retraining.rasa_env import free_port  # noqa: E402
from kizuna.secrets import ensure_secrets  # noqa: E402
from kizuna.settings import Settings, get_settings  # noqa: E402
from operations.stack import Stack  # noqa: E402

MESSAGES = [
    "hi", "which payment methods do you take?", "where is my order 10003", "how long does delivery take",
    "I forgot my password", "can I get a refund?", "thanks!", "bye",
]
PAYLOAD_TURN = 20
GOAL_OVERHEAD_MS = 15
PATHS = (("console", "console"), ("rasa", "rasa"), ("bare_rasa", "bare rasa"))  # (report key, label)

Send = Callable[[str], None]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(send: Send, text: str) -> float:
    started = time.perf_counter()
    send(text)
    return (time.perf_counter() - started) * 1000


def stack_settings(var_dir: Path, database_url: str) -> Settings:
    """A stack of its own: free ports, and the tokens of var_dir/secrets.json made now (rasa's API, the channel,
    the action server), handed to every process."""
    tokens = ensure_secrets(var_dir)
    return Settings(var_dir=var_dir, database_url=database_url, rasa_url=f"http://127.0.0.1:{free_port()}",
                    rasa_token=tokens["rasa_token"], channel_token=tokens["channel_token"],
                    action_token=tokens["action_token"], action_server_port=free_port(),
                    console_host="127.0.0.1", console_port=free_port())


def seeded_database(var_dir: Path) -> str:
    url = f"sqlite:///{var_dir / 'bench.db'}"
    upgrade(url)
    with session_scope(url) as session:
        seed_demo_shop(session, customers=50)
    return url


class ConsoleConversation:
    """One widget conversation: its secret comes with the reply to its first message."""

    def __init__(self, client: httpx.Client, console_url: str) -> None:
        self.client, self.console_url = client, console_url
        self.id, self.headers, self.turns = f"bench-{uuid.uuid4().hex[:8]}", {}, 0

    def send(self, text: str) -> None:
        response = self.client.post(f"{self.console_url}/api/conversations/{self.id}/messages", headers=self.headers,
                                    json={"text": text, "client_message_id": uuid.uuid4().hex})
        response.raise_for_status()
        self.turns += 1
        if not self.headers:
            self.headers["X-Conversation-Secret"] = response.json()["conversation_secret"]


def direct_sender(client: httpx.Client, settings: Settings, sender: str) -> Send:
    def send(text: str) -> None:
        client.post(f"{settings.rasa_url}{WEBHOOK_PATH}", headers={"Authorization": f"Bearer {settings.effective_channel_token}"},
                    json={"sender": sender, "message": text}).raise_for_status()
    return send


def bare_sender(client: httpx.Client, server: bare_rasa.BareRasa, sender: str) -> Send:
    def send(text: str) -> None:
        response = client.post(server.webhook_url, json={"sender": sender, "message": text})
        response.raise_for_status()
        if not response.json():
            raise RuntimeError(f"the bare rasa server did not answer {text!r}")
    return send


def action_call_payload(client: httpx.Client, settings: Settings, conversation_id: str) -> dict[str, Any]:
    """Sizes of what rasa sends the action server in this conversation now: its tracker (every call) and the domain."""
    params = {"token": settings.effective_rasa_token}
    tracker = client.get(f"{settings.rasa_url}/conversations/{conversation_id}/tracker",
                         params=params | {"include_events": "ALL"})
    tracker.raise_for_status()
    domain = client.get(f"{settings.rasa_url}/domain", params=params, headers={"Accept": "application/json"})
    domain.raise_for_status()
    return {"turn": PAYLOAD_TURN, "tracker_json_bytes": len(tracker.content), "tracker_events": len(tracker.json()["events"]),
            "domain_json_bytes": len(domain.content)}


def measure(args: argparse.Namespace, stack: Stack, bare: bare_rasa.BareRasa) -> dict[str, Any]:
    settings = stack.settings
    with httpx.Client(timeout=60) as client:
        warm_up = [direct_sender(client, settings, "warm-up"), ConsoleConversation(client, stack.console_url).send]
        for index, text in enumerate(MESSAGES):  # warm-up, in conversations of their own
            for send in warm_up:
                send(text)
            bare_sender(client, bare, "warm-up")(bare_rasa.MESSAGES[index])
        console = ConsoleConversation(client, stack.console_url)
        direct = direct_sender(client, settings, f"bench-{uuid.uuid4().hex[:8]}")
        bare_send = bare_sender(client, bare, f"bench-{uuid.uuid4().hex[:8]}")
        times: dict[str, list[float]] = {key: [] for key, _ in PATHS}
        payload = None
        for turn in range(args.turns):  # one turn at a time, the paths in turn
            text = MESSAGES[turn % len(MESSAGES)]
            times["rasa"].append(timed(direct, text))
            times["console"].append(timed(console.send, text))
            times["bare_rasa"].append(timed(bare_send, bare_rasa.MESSAGES[turn % len(bare_rasa.MESSAGES)]))
            if console.turns == PAYLOAD_TURN:
                payload = action_call_payload(client, settings, console.id)
        while payload is None:  # fewer timed turns than PAYLOAD_TURN: the rest untimed
            console.send(MESSAGES[console.turns % len(MESSAGES)])
            if console.turns == PAYLOAD_TURN:
                payload = action_call_payload(client, settings, console.id)
    return {"times": times, "payload": payload}


def report(args: argparse.Namespace, measured: dict[str, Any]) -> dict[str, Any]:
    times = measured["times"]
    result: dict[str, Any] = {"turns": args.turns, "cpus": os.cpu_count(), "load_avg": round(os.getloadavg()[0], 2)}
    for key, _ in PATHS:
        result[f"{key}_ms"] = {"p50": round(statistics.median(times[key]), 1), "p95": round(percentile(times[key], 0.95), 1)}
    console, direct, bare = (result[f"{key}_ms"]["p50"] for key in ("console", "rasa", "bare_rasa"))
    result["overhead_over_bare_rasa_p50_ms"] = round(console - bare, 1)
    result["console_overhead_p50_ms"] = round(console - direct, 1)
    result["ratio_console_to_bare_rasa_p50"] = round(console / bare, 2)
    result["ratio_console_to_rasa_p50"] = round(console / direct, 2)
    result["goal_overhead_p50_ms"] = GOAL_OVERHEAD_MS
    result["goal_met"] = result["overhead_over_bare_rasa_p50_ms"] <= GOAL_OVERHEAD_MS
    result["action_call_payload"] = measured["payload"]
    return result


def print_report(result: dict[str, Any]) -> None:
    print(f"\n{result['turns']} sequential turns per path ({result['cpus']} CPUs, load avg {result['load_avg']})")
    print(f"{'':11}{'p50 ms':>8}{'p95 ms':>8}")
    for key, label in PATHS:
        print(f"{label:11}{result[f'{key}_ms']['p50']:>8}{result[f'{key}_ms']['p95']:>8}")
    print(f"overhead over bare rasa (console p50 - bare rasa p50): {result['overhead_over_bare_rasa_p50_ms']} ms "
          f"(ratio {result['ratio_console_to_bare_rasa_p50']}); goal <= {GOAL_OVERHEAD_MS} ms: "
          f"{'MET' if result['goal_met'] else 'NOT MET'}")
    print(f"console's own overhead (console p50 - rasa p50): {result['console_overhead_p50_ms']} ms "
          f"(ratio {result['ratio_console_to_rasa_p50']})")
    payload = result["action_call_payload"]
    print(f"rasa -> action server at turn {payload['turn']} of a conversation: tracker JSON with all events "
          f"{payload['tracker_json_bytes']:,} bytes ({payload['tracker_events']} events; sent with every action call), "
          f"domain JSON {payload['domain_json_bytes']:,} bytes (also sent with every action call)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=64, help="timed turns per path (default 64)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()
    if args.turns < 1:
        parser.error("--turns must be at least 1")
    nlu.train(get_settings())  # the current assistant, trained now if missing
    # One conversation sends every message as fast as it can, all from one address: lift a customer's limits.
    os.environ["KIZUNA_RATE_LIMIT_CONVERSATION"] = "100000/minute"
    os.environ.setdefault("KIZUNA_RATE_LIMIT_ADDRESS", "100000/minute")
    with tempfile.TemporaryDirectory(prefix="kizuna-latency-") as tmp:
        var_dir = Path(tmp)
        settings = stack_settings(var_dir, seeded_database(var_dir))
        bare_process, bare = bare_rasa.start_bare_rasa(settings, var_dir / "logs")
        stack = Stack(settings, var_dir / "logs")
        try:
            stack.start(timeout=300)
            bare_rasa.wait_until_ready(bare_process, bare)
            measured = measure(args, stack, bare)
        except BaseException:
            for log in sorted((var_dir / "logs").glob("*.log")):
                print(f"--- {log.name} (last lines)\n" + "\n".join(log.read_text(errors="replace").splitlines()[-15:]),
                      file=sys.stderr)
            raise
        finally:
            stack.stop()
            bare_rasa.stop(bare_process)
    result = report(args, measured)
    print(json.dumps(result, indent=2)) if args.json else print_report(result)


if __name__ == "__main__":
    main()
