"""What `kizuna setup` (and so `make run`) prepares when it is missing."""

from __future__ import annotations

import time
from typing import Callable

from kizuna.accounts import create_user, list_users
from kizuna.db.engine import session_scope
from kizuna.db.migrate import upgrade
from kizuna.secrets import ensure_secrets, load_secrets
from kizuna.settings import Settings, get_settings
from operations.demo import database_is_empty, seed_demo_shop


def run_setup(settings: Settings, seed_demo: bool, say: Callable[[str], None]) -> None:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    ensure_secrets(settings.var_dir)
    upgrade(settings.effective_database_url)
    say("database: schema up to date")
    _create_first_users(settings, seed_demo, say)
    if seed_demo:
        _seed_if_empty(settings, say)
    _export_encoder_if_missing(settings, say)
    _train_assistant_if_missing(settings, say)
    _evaluate_assistant_if_missing(settings, say)
    _train_sentiment_if_missing(settings, say)
    _refresh_customer_intelligence(settings, say)


def _create_first_users(settings: Settings, seed_demo: bool, say: Callable[[str], None]) -> None:
    """Into a database without staff accounts: `admin`, and with the demo the agent `sam` (passwords in var/secrets.json)."""
    first = [("admin", settings.effective_admin_password, "admin")]
    if seed_demo:
        first.append(("sam", load_secrets(settings.var_dir)["demo_agent_password"], "agent"))
    with session_scope(settings.effective_database_url) as session:
        if list_users(session):
            return
        for username, password, role in first:
            create_user(session, username, password, role)
    say(f"staff: created {', '.join(f'{name} ({role})' for name, _, role in first)}")


def _seed_if_empty(settings: Settings, say: Callable[[str], None]) -> None:
    with session_scope(settings.effective_database_url) as session:
        if not database_is_empty(session):
            return
        summary = seed_demo_shop(session)
    say(f"demo data: seeded a synthetic shop ({summary.customers} customers, {summary.orders} orders)")


def _export_encoder_if_missing(settings: Settings, say: Callable[[str], None]) -> None:
    """The NLU reads messages with all-MiniLM-L6-v2 as ONNX; export it from the installed package once."""
    from retraining.rasa_env import ensure_encoder
    from nlu_encoder.export import is_exported

    if is_exported(settings.encoder_dir):
        return
    say("assistant: exporting the sentence encoder (all-MiniLM-L6-v2) to ONNX...")
    started = time.monotonic()
    ensure_encoder(settings)
    say(f"assistant: encoder exported to {settings.encoder_dir} in {time.monotonic() - started:.0f} s")


def _train_assistant_if_missing(settings: Settings, say: Callable[[str], None]) -> None:
    from retraining import nlu_models as nlu

    if nlu.is_current(settings):
        return
    promoted = _promoted_version(settings, "nlu")
    if promoted:
        say(f"assistant: serving {promoted}; the training data changed since — `kizuna nlu retrain` trains, compares and promotes a new model")
        return
    say("assistant: no model of the current training data yet; training it with Rasa (a few minutes)...")
    started = time.monotonic()
    nlu.train(settings)
    say(f"assistant: trained in {time.monotonic() - started:.0f} s")


def _evaluate_assistant_if_missing(settings: Settings, say: Callable[[str], None]) -> None:
    """Figures of the serving assistant on the dev and locked test splits, beside the model (the models page shows them)."""
    from retraining import nlu_models as nlu
    from operations.nlu_report import has_report, write_report

    model = nlu.serving_model(settings)
    if model is None or has_report(model):
        return
    say("assistant: evaluating it on the held-out dev and test splits (about a minute)...")
    report = write_report(settings, model)
    say("assistant: " + "; ".join(f"{split} accuracy {figures['accuracy']}, macro-F1 {figures['macro_f1']}, "
                                  f"out-of-scope recall {figures['out_of_scope_recall']}" for split, figures in report.items()))


def _train_sentiment_if_missing(settings: Settings, say: Callable[[str], None]) -> None:
    from sentiment.corpus import split_path
    from sentiment.model import read_model_card
    from sentiment.train import TrainingConfig, file_fingerprint
    from sentiment.training_run import run_training

    if settings.sentiment_model:
        return  # a model chosen by configuration is used as it is
    if _promoted_version(settings, "sentiment"):
        return  # a retrained model serves; `kizuna sentiment retrain` replaces it
    corpus = settings.sentiment_corpus_dir
    card = read_model_card(settings.sentiment_model_dir)
    if card.get("train_data", {}).get("sha256") == file_fingerprint(split_path(corpus, "train"))["sha256"]:
        return
    say("sentiment: no model of the current corpus yet; fine-tuning it on the corpus (about 3 minutes on 2 cores)...")
    card = run_training(split_path(corpus, "train"), split_path(corpus, "heldout"), settings.sentiment_model_dir, TrainingConfig.epochs,
                        None, TrainingConfig.seed, dev_path=split_path(corpus, "dev"))
    say(f"sentiment: trained {card['version']} in {card['training_seconds']:.0f} s, held-out {card['heldout_metrics']}")


def _promoted_version(settings: Settings, kind: str) -> str | None:
    """The version a retrain promoted, if any: then only a retrain (which compares) replaces it."""
    from retraining.registry import active

    with session_scope(settings.effective_database_url) as session:
        row = active(session, kind)
        return row.version if row else None


def _refresh_customer_intelligence(settings: Settings, say: Callable[[str], None]) -> None:
    """Train the churn model when there is none, and score customers when scores are missing or a day old."""
    from datetime import date

    from churn.config import load_config
    from churn.model import ChurnModelError, load_model
    from turn_core.customer_scoring import refresh_scores, scores_are_fresh, train_from_database

    url, today, config = settings.effective_database_url, date.today(), load_config(get_settings().intelligence_config_path)
    if scores_are_fresh(url):
        return
    try:
        load_model(settings.churn_model_dir)
    except FileNotFoundError:
        try:
            say("churn: no model yet; training it on the app database (about a minute)...")
            report = train_from_database(url, today, config, settings.churn_model_dir)
            say(f"churn: trained, time-split ROC AUC {report['roc_auc']}, PR AUC {report['pr_auc']}, Brier {report['brier']}")
        except ChurnModelError as error:
            say(f"churn: not trained ({error})")
    summary = refresh_scores(url, today, config, settings.churn_model_dir)
    if summary["customers"]:
        say(f"customers: scored {summary['customers']} (tiers {summary['tiers']})")
