"""Load test: many concurrent conversations through the console's widget API, against the same
messages sent straight to Rasa's kizuna channel, and against a bare Rasa server, in the same run on
a fresh stack and database.

    .venv/bin/python benchmarks/load_test.py [--conversations 50] [--turns 20]
        [--database sqlite|postgresql] [--redis] [--think 0] [--seed 7] [--json] [--quiet] [--keep]

It seeds the demo shop into a fresh database (`postgresql` creates one on 127.0.0.1:5432 as user
postgres, or at KIZUNA_TEST_POSTGRES_URL, and drops it at the end), starts rasa server, action
server and console (with `--redis`, on the Redis at KIZUNA_REDIS_URL, by default
redis://127.0.0.1:6379/0: rasa's lock store, live delivery and rate-limit counts, and with two rasa
workers, as KIZUNA_RASA_WORKERS=2 gives them), and a bare Rasa
server (benchmarks/bare_rasa.py: Rasa's starter assistant, trained once per Rasa version into
models/bare-rasa/), and runs three phases with the same concurrency, the same number of turns and the
same pauses. Every simulated customer writes their next message as soon as the previous one is
answered, or, with `--think T`, after a pause drawn from the seed, uniform in [0.5 T, 1.5 T] seconds
(reading the answer and typing):

1. console: POST /api/conversations/{id}/messages {"text", "client_message_id"(, "customer_token")}
   (from the second turn on with the X-Conversation-Secret header the first reply carried);
   every other conversation is a signed-in demo customer asking about their own orders;
2. rasa: the same messages, POST {rasa_url}/webhooks/kizuna/webhook {"sender", "message"} with the
   channel token, fresh sender ids (kizuna's assistant and actions, without the console);
3. bare rasa: POST {bare_url}/webhooks/rest/webhook {"sender", "message"} to the starter assistant,
   with messages it understands ("hi", "I am sad", "yes", "bye"...): the cost of a Rasa turn with
   nothing of kizuna's around it. The machine is shared, so the figures that carry over from one run
   to the next are the ratios console/bare rasa (throughput and p50).

It prints the think time, and for each phase throughput (turns/s), p50/p95/p99 turn latency,
apologies and other errors, then the ratios console/bare rasa and console/rasa. Apologies and errors
count every turn that did not get a real answer: through the console, the apology it sends when the
bot did not answer within KIZUNA_RASA_TIMEOUT (status `bot_failed`/`unanswered`); otherwise an HTTP
error, a transport error, a console reply without any message, or, straight to Rasa, an empty answer.
Latencies include those turns (what the customer waited).

The goals it reports against (meaningful at 50 conversations x 20 turns): without pauses, at least
30 turns/s through the console; with `--think 5`, p99 at most 1 s and no apology.

After the console phase it waits until the turn analyses have settled, then checks the app
database: every customer message stored exactly once (by client_message_id, with the id the API
returned), one reply set per message (exactly the replies the API returned), exactly one turn
analysis per message, of that message's text. Any mismatch exits with status 1 and keeps the run's
directory (logs, one CSV line per turn, the SQLite database); `--keep` keeps it anyway.

All the load comes from one address, so the console is started with
KIZUNA_RATE_LIMIT_ADDRESS=100000/minute (600/minute by default; set the variable to override).
The per-conversation limit keeps its default (30/minute), which 20 turns cannot reach.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import httpx
import sqlalchemy
from sqlalchemy import func, select
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bare_rasa  # noqa: E402
from load_messages import conversation_texts, shoppers  # noqa: E402

from churn.config import load_config  # noqa: E402
from kizuna.rasa_client import WEBHOOK_PATH  # noqa: E402
from kizuna.customer_tokens import make_token  # noqa: E402
from kizuna.db.engine import get_engine, session_scope  # noqa: E402
from kizuna.db.migrate import upgrade  # noqa: E402
from kizuna.db.models import Customer, Message, Order, TurnAnalysis  # noqa: E402
from turn_core.customer_scoring import refresh_scores  # noqa: E402
from operations.demo import seed_demo_shop  # noqa: E402
from retraining.rasa_env import free_port  # noqa: E402
from kizuna.secrets import ensure_secrets  # noqa: E402
from kizuna.settings import Settings, get_settings  # noqa: E402
from operations.stack import Stack  # noqa: E402

ADDRESS_LIMIT = "100000/minute"
POSTGRES_ADMIN_URL = os.environ.get("KIZUNA_TEST_POSTGRES_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("KIZUNA_REDIS_URL") or "redis://127.0.0.1:6379/0"
PHASES = (("console", "console"), ("rasa", "rasa"), ("bare_rasa", "bare rasa"))  # (report key, label)
GOAL_TURNS_PER_S, GOAL_P99_MS = 30, 1000
SHOP_CUSTOMERS, SHOP_TODAY = 200, date(2026, 11, 20)
WARM_UP = ["hi", "where is my order 10003", "thanks!"]


@dataclass
class Script:
    id: str
    texts: list[str]
    token: Optional[str] = None
    pauses: list[float] = field(default_factory=list)  # seconds before each message after the first
    secret: Optional[str] = None  # the conversation's, from the reply to its first message


@dataclass
class Turn:
    conversation: str
    client_id: str
    latency_ms: float
    outcome: str  # ok | apology | no_reply | empty_reply | http_NNN | transport_error
    started: float = 0.0  # time.perf_counter() when it was sent
    message_id: Optional[int] = None
    reply_ids: tuple[int, ...] = ()


@dataclass
class Phase:
    turns: list[Turn] = field(default_factory=list)
    started: float = 0.0
    seconds: float = 0.0

    def write_csv(self, path: Path) -> None:
        """One line per turn: when it was sent (seconds into the phase), how long it took, what came back."""
        lines = ["conversation,client_message_id,sent_s,latency_ms,outcome,message_id"]
        lines += [f"{t.conversation},{t.client_id},{t.started - self.started:.3f},{t.latency_ms:.1f},{t.outcome},{t.message_id or ''}"
                  for t in sorted(self.turns, key=lambda t: t.started)]
        path.write_text("\n".join(lines) + "\n")


# --- database -------------------------------------------------------------------------------


@contextmanager
def fresh_database(engine: str, var_dir: Path) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{var_dir / 'kizuna.db'}"
        return
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"kizuna_load_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sqlalchemy.exc.OperationalError as error:
        raise SystemExit(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL} (set KIZUNA_TEST_POSTGRES_URL): "
                         f"{str(error.orig).strip().splitlines()[0]}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def seed_shop(url: str, seed: int) -> dict[str, list[str]]:
    """The demo shop, scored like `make run` does; returns each customer's order numbers."""
    upgrade(url)
    with session_scope(url) as session:
        seed_demo_shop(session, customers=SHOP_CUSTOMERS, seed=seed, today=SHOP_TODAY)
    refresh_scores(url, SHOP_TODAY, load_config(get_settings().intelligence_config_path), get_settings().churn_model_dir)
    orders: dict[str, list[str]] = {}
    with session_scope(url) as session:
        for customer, number in session.execute(select(Customer.external_id, Order.order_number).join(Order)):
            orders.setdefault(customer, []).append(number)
    return orders


# --- stack ----------------------------------------------------------------------------------


def redis_for_stack(use_redis: bool) -> str:
    """The Redis URL the stack gets ("" without `--redis`), checked reachable; the console and the action
    server read it from KIZUNA_REDIS_URL, rasa's lock store from the settings."""
    if not use_redis:
        os.environ.pop("KIZUNA_REDIS_URL", None)
        return ""
    import redis

    try:
        redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis is not reachable at {REDIS_URL} (set KIZUNA_REDIS_URL): {error}")
    os.environ["KIZUNA_REDIS_URL"] = REDIS_URL
    return REDIS_URL


@contextmanager
def running_stacks(url: str, var_dir: Path, redis_url: str) -> Iterator[tuple[Stack, bare_rasa.BareRasa]]:
    """kizuna's stack and the bare Rasa server, started side by side."""
    os.environ.setdefault("KIZUNA_RATE_LIMIT_ADDRESS", ADDRESS_LIMIT)  # one machine sends all the load
    settings = Settings(var_dir=var_dir, database_url=url, rasa_url=f"http://127.0.0.1:{free_port()}",
                        rasa_token=uuid.uuid4().hex, action_server_port=free_port(), console_port=free_port(),
                        redis_url=redis_url, rasa_workers=2 if redis_url else 1)  # KIZUNA_RASA_WORKERS=2 with Redis
    bare_process, bare = bare_rasa.start_bare_rasa(settings, var_dir / "logs")
    stack = Stack(settings, var_dir / "logs")
    try:
        stack.start(timeout=300)
        try:
            bare_rasa.wait_until_ready(bare_process, bare)
            yield stack, bare
        finally:
            stack.stop()
    finally:
        bare_rasa.stop(bare_process)


def scripts(orders: dict[str, list[str]], args: argparse.Namespace, prefix: str, secret: str) -> list[Script]:
    rng = random.Random(args.seed)
    all_orders = sorted(n for numbers in orders.values() for n in numbers)
    result = []
    for index, shopper in enumerate(shoppers(orders, args.conversations, rng)):
        texts = conversation_texts(random.Random(f"{args.seed}:{index}"), shopper, all_orders, args.turns)
        token = make_token(shopper.customer_id, secret, ttl_seconds=6 * 3600) if shopper.customer_id else None
        pauses = think_pauses(random.Random(f"{args.seed}:{index}:think"), args.think, len(texts) - 1)
        result.append(Script(f"{prefix}{index:03d}", texts, token, pauses))
    return result


def think_pauses(rng: random.Random, think: float, count: int) -> list[float]:
    return [rng.uniform(0.5 * think, 1.5 * think) for _ in range(count)]


def bare_scripts(prefix: str, like: list[Script]) -> list[Script]:
    """As many conversations, as many turns and the same pauses as `like`, with messages the starter assistant knows."""
    messages = bare_rasa.MESSAGES
    return [Script(f"{prefix}{i:03d}", [messages[k % len(messages)] for k in range(len(s.texts))], pauses=s.pauses)
            for i, s in enumerate(like)]


# --- load -----------------------------------------------------------------------------------


async def console_turn(client: httpx.AsyncClient, base: str, script: Script, index: int) -> Turn:
    client_id = f"{script.id}-t{index:03d}"
    body = {"text": script.texts[index], "client_message_id": client_id}
    if script.token:
        body["customer_token"] = script.token
    started = time.perf_counter()
    try:
        response = await client.post(f"{base}/api/conversations/{script.id}/messages", json=body,
                                     headers={"X-Conversation-Secret": script.secret} if script.secret else {})
    except httpx.HTTPError:
        return Turn(script.id, client_id, _ms(started), "transport_error", started)
    turn = Turn(script.id, client_id, _ms(started), f"http_{response.status_code}", started)
    if response.status_code == 200:
        data = response.json()
        replies = data["replies"]
        script.secret = script.secret or data["conversation_secret"]
        turn.message_id, turn.reply_ids = data["message"]["id"], tuple(r["id"] for r in replies)
        turn.outcome = "no_reply" if not replies else "apology" if any(r["sender"] == "system" for r in replies) else "ok"
    return turn


async def rasa_turn(client: httpx.AsyncClient, rasa_url: str, channel_token: str, script: Script, index: int) -> Turn:
    started = time.perf_counter()
    try:
        response = await client.post(f"{rasa_url}{WEBHOOK_PATH}", headers={"Authorization": f"Bearer {channel_token}"},
                                     json={"sender": script.id, "message": script.texts[index]})
    except httpx.HTTPError:
        return Turn(script.id, "", _ms(started), "transport_error", started)
    outcome = f"http_{response.status_code}" if response.status_code != 200 else "ok" if response.json() else "empty_reply"
    return Turn(script.id, "", _ms(started), outcome, started)


async def bare_turn(client: httpx.AsyncClient, server: bare_rasa.BareRasa, script: Script, index: int) -> Turn:
    started = time.perf_counter()
    try:
        response = await client.post(server.webhook_url, json={"sender": script.id, "message": script.texts[index]})
    except httpx.HTTPError:
        return Turn(script.id, "", _ms(started), "transport_error", started)
    outcome = f"http_{response.status_code}" if response.status_code != 200 else "ok" if response.json() else "empty_reply"
    return Turn(script.id, "", _ms(started), outcome, started)


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def run_phase(name: str, all_scripts: list[Script], send: Callable, quiet: bool) -> Phase:
    """Every conversation at once, each turn sent when the previous one is answered and the script's pause is over."""
    phase = Phase()
    total = sum(len(s.texts) for s in all_scripts)
    limits = httpx.Limits(max_connections=len(all_scripts) + 5, max_keepalive_connections=len(all_scripts) + 5)
    with tqdm(total=total, desc=name, unit="turn", file=sys.stderr, disable=quiet, mininterval=1) as progress:
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            async def converse(script: Script) -> None:
                for index in range(len(script.texts)):
                    if index and script.pauses[index - 1]:
                        await asyncio.sleep(script.pauses[index - 1])
                    turn = await send(client, script, index)
                    phase.turns.append(turn)
                    progress.update()
                    if turn.outcome != "ok":
                        progress.set_postfix(errors=sum(t.outcome != "ok" for t in phase.turns), refresh=False)

            phase.started = time.perf_counter()
            await asyncio.gather(*(converse(s) for s in all_scripts))
            phase.seconds = time.perf_counter() - phase.started
    return phase


async def warm_up(client_send: Callable, script: Script) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        for index in range(len(script.texts)):
            await client_send(client, script, index)


# --- checks ---------------------------------------------------------------------------------


def settle_analyses(url: str, message_ids: set[int], quiet_seconds: float = 20, limit: float = 180) -> dict[str, Any]:
    """Wait until every message has its analysis, or nothing changed for `quiet_seconds` (late ones are normal
    after an apology: Rasa finishes the turn, or the console's catch-up analyses it)."""
    started, last, last_change = time.monotonic(), -1, time.monotonic()
    while True:
        with session_scope(url) as session:
            done = session.scalar(select(func.count(func.distinct(TurnAnalysis.message_id)))
                                  .where(TurnAnalysis.message_id.in_(message_ids))) or 0
        now = time.monotonic()
        if done != last:
            last, last_change = done, now
        if done >= len(message_ids) or now - last_change >= quiet_seconds or now - started >= limit:
            return {"waited_s": round(now - started, 1), "analysed": done}
        time.sleep(1)


def verify(url: str, turns: list[Turn]) -> dict[str, Any]:
    """Customer messages stored once, one reply set each (the replies the API returned), one analysis each."""
    conversation_ids = sorted({t.conversation for t in turns})
    with session_scope(url) as session:
        inbound = session.execute(select(Message.client_message_id, Message.id, Message.status, Message.text).where(
            Message.conversation_id.in_(conversation_ids), Message.direction == "in")).all()
        outbound = session.execute(select(Message.id, Message.reply_to_id).where(
            Message.conversation_id.in_(conversation_ids), Message.direction == "out")).all()
        analyses = session.execute(select(TurnAnalysis.message_id).where(
            TurnAnalysis.conversation_id.in_(conversation_ids))).all()
    return {**_check_messages(turns, inbound), **_check_replies(turns, inbound, outbound),
            **_check_analyses(inbound, analyses), "statuses": dict(Counter(row.status for row in inbound))}


def _check_messages(turns: list[Turn], inbound: list) -> dict[str, int]:
    """Answered (200) messages stored once with the id returned; refused ones (4xx) not stored; the fate of
    one without an answer (transport error, 5xx) is unknown to the client: stored at most once."""
    accepted = {t.client_id: t.message_id for t in turns if t.message_id is not None}
    refused = {t.client_id for t in turns if t.outcome.startswith("http_4")}
    sent = {t.client_id for t in turns}
    rows = Counter(row.client_message_id for row in inbound)
    stored_id = {row.client_message_id: row.id for row in inbound}
    return {
        "messages_sent": len(turns),
        "messages_accepted": len(accepted),
        "customer_rows": len(inbound),
        "customer_missing": sum(1 for c in accepted if rows[c] == 0),
        "customer_duplicated": sum(1 for c, n in rows.items() if n > 1),
        "customer_unexpected": sum(1 for c in rows if c not in sent or c in refused),
        "customer_id_mismatch": sum(1 for c, i in accepted.items() if rows[c] == 1 and stored_id[c] != i),
    }


def _check_replies(turns: list[Turn], inbound: list, outbound: list) -> dict[str, int]:
    by_message: dict[int, set[int]] = {}
    for row in outbound:
        by_message.setdefault(row.reply_to_id, set()).add(row.id)
    returned = {t.message_id: set(t.reply_ids) for t in turns if t.message_id is not None}
    inbound_ids = {row.id for row in inbound}
    return {
        "reply_rows": len(outbound),
        "messages_without_reply": sum(1 for i in inbound_ids if not by_message.get(i)),
        "reply_sets_differing_from_api": sum(1 for i, ids in returned.items() if by_message.get(i, set()) != ids),
        "replies_to_no_customer_message": sum(len(ids) for i, ids in by_message.items() if i not in inbound_ids),
    }


def _check_analyses(inbound: list, analyses: list) -> dict[str, int]:
    per_message = Counter(row.message_id for row in analyses)
    inbound_ids = {row.id for row in inbound}
    return {
        "analysis_rows": len(analyses),
        "analyses_missing": sum(1 for i in inbound_ids if per_message[i] == 0),
        "analyses_duplicated": sum(1 for i in inbound_ids if per_message[i] > 1),
        "analyses_unlinked": sum(n for i, n in per_message.items() if i not in inbound_ids),
    }


MISMATCH_KEYS = ("customer_missing", "customer_duplicated", "customer_unexpected", "customer_id_mismatch",
                 "messages_without_reply", "reply_sets_differing_from_api", "replies_to_no_customer_message",
                 "analyses_missing", "analyses_duplicated", "analyses_unlinked")


# --- report ---------------------------------------------------------------------------------


def summary(phase: Phase, slow_ms: float) -> dict[str, Any]:
    latencies = [t.latency_ms for t in phase.turns]
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    errors = Counter(t.outcome for t in phase.turns if t.outcome != "ok")
    return {
        "turns": len(phase.turns), "seconds": round(phase.seconds, 1),
        "throughput_turns_per_s": round(len(phase.turns) / phase.seconds, 2),
        "answered_turns_per_s": round(sum(t.outcome == "ok" for t in phase.turns) / phase.seconds, 2),
        "p50_ms": round(cuts[49]), "p95_ms": round(cuts[94]), "p99_ms": round(cuts[98]),
        "max_ms": round(max(latencies)), "apologies": errors.pop("apology", 0),
        "errors": sum(errors.values()), "errors_by_kind": dict(errors),
        "slower_than_console_timeout": sum(t.latency_ms > slow_ms for t in phase.turns),
    }


def ratios(numerator: dict[str, Any], denominator: dict[str, Any]) -> dict[str, float]:
    """numerator / denominator: throughput (below 1: fewer turns/s) and latency percentiles (above 1: slower)."""
    result = {"throughput": round(numerator["throughput_turns_per_s"] / max(0.01, denominator["throughput_turns_per_s"]), 2)}
    return result | {p: round(numerator[f"{p}_ms"] / max(1, denominator[f"{p}_ms"]), 2) for p in ("p50", "p95", "p99")}


def goals(report: dict[str, Any]) -> dict[str, Any]:
    """The console against the goal of this kind of run: throughput without pauses, p99 and apologies with them."""
    console = report["console"]
    if not report["run"]["think_s"]:
        return {"goal": f">= {GOAL_TURNS_PER_S} turns/s through the console",
                "met": console["throughput_turns_per_s"] >= GOAL_TURNS_PER_S}
    return {"goal": f"console p99 <= {GOAL_P99_MS} ms and no apology",
            "met": console["p99_ms"] <= GOAL_P99_MS and console["apologies"] == 0}


def print_report(report: dict[str, Any]) -> None:
    run = report["run"]
    print(f"\n{run['conversations']} conversations x {run['turns']} turns on {run['database']}"
          f"{' + Redis' if run['redis'] else ''}, think time {run['think_s']} s (seed {run['seed']}, bot timeout "
          f"{run['rasa_timeout_s']} s, {run['cpus']} CPUs, load avg {run['load_before']} -> {run['load_after']})")
    print(f"{'':11}{'turns/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'apologies':>10}{'errors':>8}  kinds")
    for key, label in PHASES:
        s = report[key]
        print(f"{label:11}{s['throughput_turns_per_s']:>9}{s['p50_ms']:>8}{s['p95_ms']:>8}{s['p99_ms']:>8}{s['max_ms']:>8}"
              f"{s['apologies']:>10}{s['errors']:>8}  {s['errors_by_kind'] or '-'}")
    to_bare, to_rasa = report["ratio_to_bare_rasa"], report["ratio"]
    print(f"ratio console/bare rasa: throughput {to_bare['throughput']}, p50 {to_bare['p50']}, p95 {to_bare['p95']}, p99 {to_bare['p99']}")
    print(f"ratio console/rasa:      throughput {to_rasa['throughput']}, p50 {to_rasa['p50']}, p95 {to_rasa['p95']}, p99 {to_rasa['p99']}; "
          f"turns over {run['rasa_timeout_s']} s straight to rasa: {report['rasa']['slower_than_console_timeout']}")
    goal = report["goal"]
    print(f"goal {goal['goal']}: {'MET' if goal['met'] else 'NOT MET'}"
          + ("" if run["conversations"] >= 50 else f" (the goal is for 50 conversations, this run had {run['conversations']})"))
    checks = report["checks"]
    print(f"analyses settled after {checks['settle']['waited_s']} s; stored: "
          + ", ".join(f"{k} {v}" for k, v in checks.items() if k not in ("settle", "passed")))
    print("stored exactly once: " + ("PASS" if checks["passed"] else "FAIL"))


# --- main -----------------------------------------------------------------------------------


def measure(args: argparse.Namespace, var_dir: Path) -> dict[str, Any]:
    redis_url = redis_for_stack(args.redis)
    with fresh_database(args.database, var_dir) as url:
        orders = seed_shop(url, args.seed)
        secret = ensure_secrets(var_dir)["widget_secret"]
        tag = uuid.uuid4().hex[:6]
        console_scripts = scripts(orders, args, f"load-{tag}-c", secret)
        rasa_scripts = [Script(f"load-{tag}-r{i:03d}", s.texts, pauses=s.pauses) for i, s in enumerate(console_scripts)]
        with running_stacks(url, var_dir, redis_url) as (stack, bare):
            report = run_phases(args, stack, bare, url, console_scripts, rasa_scripts,
                                bare_scripts(f"load-{tag}-b", console_scripts))
    return report


def run_phases(args: argparse.Namespace, stack: Stack, bare: bare_rasa.BareRasa, url: str, console_scripts: list[Script],
               rasa_scripts: list[Script], bare_rasa_scripts: list[Script]) -> dict[str, Any]:
    settings, load_before = stack.settings, _load()

    async def via_console(client: httpx.AsyncClient, script: Script, index: int) -> Turn:
        return await console_turn(client, stack.console_url, script, index)

    async def direct(client: httpx.AsyncClient, script: Script, index: int) -> Turn:
        return await rasa_turn(client, settings.rasa_url, settings.effective_channel_token, script, index)

    async def to_bare(client: httpx.AsyncClient, script: Script, index: int) -> Turn:
        return await bare_turn(client, bare, script, index)

    asyncio.run(warm_up(via_console, Script("warm-up-console", WARM_UP)))
    asyncio.run(warm_up(direct, Script("warm-up-rasa", WARM_UP)))
    asyncio.run(warm_up(to_bare, Script("warm-up-bare", bare_rasa.MESSAGES[:len(WARM_UP)])))
    console = asyncio.run(run_phase("console", console_scripts, via_console, args.quiet))
    console.write_csv(settings.var_dir / "console_turns.csv")
    settle = settle_analyses(url, {t.message_id for t in console.turns if t.message_id is not None})
    checks = verify(url, console.turns)
    checks["settle"], checks["passed"] = settle, not any(checks[k] for k in MISMATCH_KEYS)
    rasa = asyncio.run(run_phase("rasa", rasa_scripts, direct, args.quiet))
    rasa.write_csv(settings.var_dir / "rasa_turns.csv")
    bare_phase = asyncio.run(run_phase("bare rasa", bare_rasa_scripts, to_bare, args.quiet))
    bare_phase.write_csv(settings.var_dir / "bare_rasa_turns.csv")
    slow_ms = settings.rasa_timeout_seconds * 1000
    report = {"run": {"conversations": args.conversations, "turns": args.turns, "database": args.database,
                      "redis": bool(settings.redis_url), "think_s": args.think, "seed": args.seed,
                      "rasa_timeout_s": settings.rasa_timeout_seconds, "address_limit": os.environ["KIZUNA_RATE_LIMIT_ADDRESS"],
                      "cpus": os.cpu_count(), "load_before": load_before, "load_after": _load()},
              "console": summary(console, slow_ms), "rasa": summary(rasa, slow_ms),
              "bare_rasa": summary(bare_phase, slow_ms), "checks": checks}
    report["ratio_to_bare_rasa"] = ratios(report["console"], report["bare_rasa"])
    report["ratio"] = ratios(report["console"], report["rasa"])
    report["goal"] = goals(report)
    return report


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=50, help="concurrent conversations (default 50)")
    parser.add_argument("--turns", type=int, default=20, help="customer turns per conversation (default 20)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="the app database: a SQLite file, or a fresh PostgreSQL database (default sqlite)")
    parser.add_argument("--redis", action="store_true",
                        help=f"run the stack on Redis (rasa's lock store, live delivery, rate-limit counts) at "
                             f"KIZUNA_REDIS_URL (now {REDIS_URL}), with two rasa workers (KIZUNA_RASA_WORKERS=2)")
    parser.add_argument("--think", type=float, default=0, metavar="SECONDS",
                        help="mean pause before each message after the first, uniform in [0.5, 1.5] x SECONDS "
                             "(default 0: no pause)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the shop and the conversations (default 7)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (machine-readable summary)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.add_argument("--keep", action="store_true", help="keep the run's directory: logs, per-turn CSVs, SQLite database")
    args = parser.parse_args()
    if args.think < 0:
        parser.error("--think must be 0 or more seconds")
    var_dir = Path(tempfile.mkdtemp(prefix="kizuna-load-"))
    try:
        report = measure(args, var_dir)
    except SystemExit:  # PostgreSQL or Redis unreachable: nothing worth keeping
        shutil.rmtree(var_dir, ignore_errors=True)
        raise
    except BaseException:
        print(f"logs kept in {var_dir}", file=sys.stderr)
        raise
    if report["checks"]["passed"] and not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)
    else:
        print(f"logs, per-turn CSVs and database kept in {var_dir}", file=sys.stderr)
    print(json.dumps(report, indent=2)) if args.json else print_report(report)
    return 0 if report["checks"]["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
