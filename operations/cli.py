"""The `kizuna` command line: one group per area.

Commands that need the model libraries (torch, transformers, scikit-learn, matplotlib) import them when
they run, so every other command starts without them: `kizuna --help` takes about 1 s instead of 2.5 s."""

from __future__ import annotations

import os
import signal
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator, Optional

import click

from kizuna import rasa_client
from kizuna.accounts import create_user, disable_user, list_users, ROLES
from kizuna.customer_tokens import make_token
from kizuna.db.engine import session_scope
from kizuna.db.migrate import upgrade
from kizuna.private_files import owner_only_from_now_on
from kizuna.secrets import load_secrets
from kizuna.settings import Settings, get_settings
from operations.cli_output import echo_json
from operations.database import migrated_database_url
from operations import (campaigns_cli, churn_cli, customers_cli, outreach_cli, retention_cli, sentiment_cli, training_cli,
                        webhooks_cli)
from operations.demo import seed_demo_shop
from operations.local_redis import LOCAL_REDIS_URL, use_local_redis, VARIABLE
from operations.serve import serve_rasa as run_rasa, supervise
from operations.stack import action_server_process, console_process, Stack



def _info(message: str) -> None:
    click.echo(message, err=True)


@click.group(help="kizuna: a customer-support assistant that notices when a customer is slipping away.")
def main() -> None:
    owner_only_from_now_on()  # databases, logs, secrets and var/ hold customers' words and keys


# --- set-up and running ---------------------------------------------------------------------


@main.command(help="Prepare everything that is missing: database schema, secrets, demo data, trained models.")
@click.option("--no-demo", is_flag=True, help="Do not seed demo data, even into an empty database.")
def setup(no_demo: bool) -> None:
    from operations.setup_steps import run_setup

    run_setup(get_settings(), seed_demo=not no_demo, say=_info)


@main.command(help="Set up what is missing, then start rasa, the action server and the console until Ctrl-C.")
@click.option("--no-demo", is_flag=True, help="Do not seed demo data into an empty database.")
def run(no_demo: bool) -> None:
    from operations.setup_steps import run_setup

    if not no_demo:  # the demo storefront lets visitors chat as demo customers
        os.environ.setdefault("KIZUNA_DEMO_SIGN_IN", "1")
    _choose_redis()
    settings = get_settings()
    run_setup(settings, seed_demo=not no_demo, say=_info)
    stack = Stack(settings, settings.var_dir / "logs")
    _info("Starting rasa server, action server and console (rasa takes about half a minute)...")
    stack.start()
    admin = f"admin / {settings.effective_admin_password}"
    logins = admin if no_demo else f"sam / {load_secrets(settings.var_dir)['demo_agent_password']}, or {admin}"
    click.echo(f"\nkizuna is up.\n  shop with chat:   {stack.console_url}/\n  API docs:         {stack.console_url}/docs\n"
               f"  agent console:    {stack.console_url}/agent  (log in as {logins})\n"
               f"  customers:        {stack.console_url}/customers\n"
               f"  campaigns:        {stack.console_url}/campaigns  (admin)\n"
               f"  campaign e-mail:  {_mail_destination(settings)}\n"
               f"  health:           {stack.console_url}/healthz\n  logs:             {settings.var_dir / 'logs'}\nPress Ctrl-C to stop.")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while (exited := stack.first_exited()) is None:
            time.sleep(1)
        _info(f"{exited.name} stopped unexpectedly; see {exited.log_path}. Stopping the rest.")
    except KeyboardInterrupt:
        _info("\nStopping...")
    finally:
        stack.stop()


def _mail_destination(settings: Settings) -> str:
    if settings.smtp_host:
        return f"sent through {settings.smtp_host}:{settings.smtp_port}"
    return f"kept by the local mail catcher in {settings.var_dir / 'mail'}"


def _choose_redis() -> None:
    """Several rasa workers (KIZUNA_RASA_WORKERS) need a shared lock store: the local Redis, if none is set."""
    if get_settings().rasa_workers <= 1:
        return
    if use_local_redis(os.environ):
        get_settings.cache_clear()
        _info(f"Using the Redis at {LOCAL_REDIS_URL} as rasa's lock store for its {get_settings().effective_rasa_workers} workers.")
    elif not get_settings().redis_url:
        _info(f"No Redis: the rasa server runs one worker (set {VARIABLE} to a Redis for several).")


@main.group(help="Run one process in the foreground, logging to stdout: for systemd, containers, or several "
                  "replicas behind a load balancer (see docs/deployment.md). `kizuna setup` must have run once.")
def serve() -> None:
    pass


serve.add_command(outreach_cli.serve_worker)
serve.add_command(outreach_cli.serve_mailcatcher)


@serve.command("rasa", help="The rasa server on loopback; it loads each newly promoted model within seconds.")
@click.option("--port", type=int, default=None, help="Default: the port of KIZUNA_RASA_URL (5005).")
def serve_rasa(port: Optional[int]) -> None:
    settings = _serving_settings(rasa_url=f"http://127.0.0.1:{port}" if port is not None else None)
    try:
        sys.exit(run_rasa(settings))
    except FileNotFoundError as error:
        raise click.ClickException(str(error))


@serve.command("actions", help="The action server (turn analysis, answers, offers) on loopback, token-protected.")
@click.option("--port", type=int, default=None, help="Default: KIZUNA_ACTION_PORT (5055).")
def serve_actions(port: Optional[int]) -> None:
    sys.exit(supervise(action_server_process(_serving_settings(action_server_port=port), None)))


@serve.command("console", help="The console: widget channel, staff pages and API, health.")
@click.option("--host", default=None, help="Default: KIZUNA_CONSOLE_HOST (127.0.0.1).")
@click.option("--port", type=int, default=None, help="Default: KIZUNA_CONSOLE_PORT (8000).")
def serve_console(host: Optional[str], port: Optional[int]) -> None:
    sys.exit(supervise(console_process(_serving_settings(console_host=host, console_port=port), None)))


def _serving_settings(**given: object) -> Settings:
    """The settings with the options given on the command line; logging to stdout set up."""
    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s  %(message)s")
    # httpx logs every request URL at INFO, and rasa's API token travels in the query string.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return get_settings().model_copy(update={name: value for name, value in given.items() if value is not None})


# --- the website widget -----------------------------------------------------------------------


@main.group(help="The website chat widget: the tag to embed and signed customer tokens.")
def widget() -> None:
    pass


@widget.command("snippet", help="Print the <script> tag to paste into the shop's pages.")
@click.option("--server", default=None, help="The console's public URL (default: this machine's console).")
def widget_snippet(server: Optional[str]) -> None:
    settings = get_settings()
    url = (server or f"http://{settings.console_host}:{settings.console_port}").rstrip("/")
    click.echo(f'<script src="{url}/widget.js" async data-title="Chat with us"></script>')


@widget.command("token", help="Sign a customer token (what the shop's backend does for a signed-in customer).")
@click.argument("customer_id")
@click.option("--ttl", default=3600, show_default=True, type=click.IntRange(1, 30 * 86400), help="Seconds until it expires.")
def widget_token(customer_id: str, ttl: int) -> None:
    secret = get_settings().effective_widget_secret
    if not secret:
        raise click.ClickException("no widget secret yet: run `kizuna setup` or set KIZUNA_WIDGET_SECRET")
    try:
        click.echo(make_token(customer_id, secret, ttl))
    except ValueError as error:
        raise click.ClickException(str(error))


# --- staff accounts ---------------------------------------------------------------------------


@main.group(help="Staff accounts of the console: agents, trainers and admins.")
def users() -> None:
    pass


@users.command("create", help="Create a staff account; asks for the password twice unless --password-stdin.")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="agent: the queue and conversations; trainer: analytics and customers; admin: everything.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
def users_create(username: str, role: str, password_stdin: bool) -> None:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    url = migrated_database_url()
    try:
        with session_scope(url) as session:
            create_user(session, username, password, role)
    except ValueError as error:
        raise click.ClickException(str(error))
    _info(f"created {role} {username}")


@users.command("list", help="One JSON object per line: username, role, created_at, disabled.")
def users_list() -> None:
    with session_scope(get_settings().effective_database_url) as session:
        for user in list_users(session):
            echo_json({"username": user.username, "role": user.role, "created_at": user.created_at.isoformat(),
                        "disabled": user.disabled})


@users.command("disable", help="Disable an account and end its sessions (it stays in the audit log).")
@click.argument("username")
def users_disable(username: str) -> None:
    try:
        with session_scope(get_settings().effective_database_url) as session:
            disable_user(session, username)
    except ValueError as error:
        raise click.ClickException(str(error))
    _info(f"disabled {username}")


# --- database and demo data ------------------------------------------------------------------


@main.group(help="The app database.")
def db() -> None:
    pass


@db.command("upgrade", help="Bring the database schema to the newest version.")
def db_upgrade() -> None:
    upgrade(get_settings().effective_database_url)
    _info("database schema is up to date")


@main.group(help="Synthetic demo data.")
def demo() -> None:
    pass


@demo.command("seed", help="Fill an EMPTY database with a synthetic shop: made-up customers with a hidden churn propensity, their orders, refunds, invoices, site visits, e-mails and past support contacts.")
@click.option("--customers", default=1000, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--seed", default=7, show_default=True, help="Random seed; the same seed and day give the same shop.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="The shop's 'today' (default: today).")
def demo_seed(customers: int, seed: int, today: Optional[object]) -> None:
    url = migrated_database_url()
    day = today.date() if today else date.today()  # type: ignore[attr-defined]
    try:
        with session_scope(url) as session:
            summary = seed_demo_shop(session, customers=customers, seed=seed, today=day)
    except ValueError as error:
        raise click.ClickException(str(error))
    echo_json(summary.__dict__)


# --- the assistant's NLU ---------------------------------------------------------------------


@main.group(help="The assistant's language understanding (Rasa NLU).")
def nlu() -> None:
    pass


@nlu.command("train", help="Train the assistant (NLU and dialogue) with Rasa; skips when a model exists unless --force.")
@click.option("--force", is_flag=True, help="Train even if a model exists.")
def nlu_train(force: bool) -> None:
    from retraining import nlu_models as assistant

    started = time.monotonic()
    model = assistant.train(get_settings(), force=force)
    _info(f"model: {model} ({time.monotonic() - started:.0f} s)")


@contextmanager
def _nlu_server(model: Optional[Path]) -> Iterator[tuple[str, str]]:
    """The running rasa server if it is up (and no model was named), else a temporary one."""
    from retraining.nlu_models import serving_model
    from retraining.rasa_env import temporary_nlu_server

    settings = get_settings()
    token = settings.effective_rasa_token
    if model is None and rasa_client.server_is_up(settings.rasa_url, token, timeout=1.0):
        yield settings.rasa_url, token
        return
    model = model or serving_model(settings)
    if model is None:
        raise click.ClickException("no trained assistant; run `kizuna nlu train` first")
    _info("starting a temporary rasa server to parse with (about 20 s)...")
    with temporary_nlu_server(settings, model, settings.var_dir / "logs" / "rasa-nlu.log") as server:
        yield server


@nlu.command("parse", help="Read one message per line on stdin; print one JSON object per line: text, intent, confidence (a blank line: nlu_fallback, 0).")
@click.option("--model", type=click.Path(exists=True, path_type=Path), help="A model file (default: the running or newest model).")
def nlu_parse(model: Optional[Path]) -> None:
    lines = [line.rstrip("\n") for line in sys.stdin]
    with _nlu_server(model) as (url, token):
        parsed = iter(rasa_client.parse((line for line in lines if line.strip()), url, token))
        for line in lines:  # one answer per input line; a blank line is not understood, as the bot would fall back
            echo_json(next(parsed) if line.strip() else {"text": line, "intent": "nlu_fallback", "confidence": 0.0})


@nlu.command("eval", help="Evaluate the NLU on held-out examples (default: the locked test split). Prints JSON: accuracy, "
                          "macro-F1, per-intent recall, the worst confusions, out-of-scope recall and a reliability table.")
@click.option("--split", type=click.Choice(["dev", "test"]), default="test", show_default=True,
              help="Held-out split: dev (for choices) or test (locked, only reported).")
@click.option("--data", "data_path", type=click.Path(exists=True, path_type=Path), help="A Rasa NLU YAML file or folder instead of a split.")
@click.option("--model", type=click.Path(exists=True, path_type=Path), help="A model file (default: the running or newest model).")
@click.option("--chart", type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Also write a reliability diagram (SVG) here.")
def nlu_eval(split: str, data_path: Optional[Path], model: Optional[Path], chart: Optional[Path]) -> None:
    from operations.nlu_evaluation import intent_report
    from operations.reliability_chart import reliability_svg

    examples, source = _heldout_examples(split, data_path)
    parsed = _parse_all(examples, model)
    report = intent_report([e.intent for e in examples], [r["intent"] or "" for r in parsed], [r["confidence"] for r in parsed])
    if chart is not None:
        chart.write_text(reliability_svg(report["reliability"], f"Intent confidence, {Path(source).name}"), encoding="utf-8")
    echo_json({"data": source, **report})


@nlu.command("threshold", help="Choose the fallback threshold on the dev split: prints, for each candidate, in-scope "
                               "accuracy and out-of-scope recall, and the best one (set it in bot/config.yml).")
@click.option("--model", type=click.Path(exists=True, path_type=Path), help="A model file (default: the running or newest model).")
def nlu_threshold(model: Optional[Path]) -> None:
    from operations.nlu_evaluation import Prediction, best_threshold, threshold_table

    examples, source = _heldout_examples("dev", None)
    parsed = _parse_all(examples, model)
    predictions = [Prediction(r["raw_intent"] or "", r["raw_confidence"]) for r in parsed]
    rows = threshold_table([e.intent for e in examples], predictions, [round(0.05 * i, 2) for i in range(0, 19)])
    echo_json({"data": source, "best_threshold": best_threshold(rows), "candidates": rows})


def _heldout_examples(split: str, data_path: Optional[Path]) -> tuple[list, str]:
    from retraining import nlu_models as assistant

    path = data_path or assistant.heldout_dir(get_settings(), split)
    examples = assistant.load_examples_from(path)
    if not examples:
        raise click.ClickException(f"{path} has no intent examples")
    return examples, str(path)


def _parse_all(examples: list, model: Optional[Path]) -> list[dict]:
    with _nlu_server(model) as (url, token):
        return list(rasa_client.parse((e.text for e in examples), url, token))


@main.command(help="Analyse customer messages that arrived while Rasa or the action server was down or too slow "
                   "(intent when Rasa can parse now, sentiment, profile, retention decision); prints JSON.")
def backfill() -> None:
    from turn_core.backfill import backfill as run_backfill

    settings = get_settings()
    migrated_database_url()
    token = settings.effective_rasa_token
    up = rasa_client.server_is_up(settings.rasa_url, token, timeout=1.0)
    echo_json(run_backfill(rasa_client.intent_of(settings.rasa_url, token) if up else None))


# The areas' own command groups, and the retraining commands inside them.
main.add_command(sentiment_cli.sentiment, "sentiment")
main.add_command(churn_cli.churn, "churn")
main.add_command(churn_cli.clv, "clv")
main.add_command(customers_cli.customers, "customers")
main.add_command(retention_cli.retention, "retention")
main.add_command(campaigns_cli.campaigns, "campaigns")
main.add_command(webhooks_cli.webhooks, "webhooks")
for _command in (training_cli.nlu_export, training_cli.nlu_retrain, training_cli.nlu_rollback, training_cli.versions):
    nlu.add_command(_command)
for _command in (training_cli.sentiment_retrain, training_cli.sentiment_rollback, training_cli.versions):
    sentiment_cli.sentiment.add_command(_command)

if __name__ == "__main__":
    main()
