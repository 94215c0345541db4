"""The training loop's commands: `kizuna nlu export|retrain|rollback|versions` and
`kizuna sentiment retrain|rollback`."""

from __future__ import annotations

from typing import Any, Callable, Optional

import click
from tqdm import tqdm

from kizuna.db.engine import session_scope
from kizuna.db.models import TrainingJob
from kizuna.db.reviews import reviewed_examples
from kizuna.settings import get_settings
from retraining.comparison import DEFAULT_TOLERANCE, side_by_side
from operations.cli_output import echo_json
from operations.database import migrated_database_url

Progress = Callable[[str, float], None]



def _run_retrain(job_id: Optional[int], work: Callable[[Progress], dict[str, Any]]) -> dict[str, Any]:
    """Run `work` with a progress bar on the terminal (and into the console's job row when `--job`)."""
    from retraining import jobs

    url = migrated_database_url()
    to_job = jobs.progress_reporter(url, job_id) if job_id else None
    with tqdm(total=100, bar_format="{percentage:3.0f}% |{bar:30}| {desc}") as bar:
        def progress(stage: str, share: float) -> None:
            bar.set_description_str(stage[:60])
            bar.update(max(0, round(share * 100) - bar.n))
            if to_job:
                to_job(stage, share)

        try:
            report = work(progress)
        except Exception as error:
            if job_id:
                jobs.finish(url, job_id, error=str(error))
            raise click.ClickException(str(error)) from error
    if job_id:
        jobs.finish(url, job_id, result=report)
    return report


def _print_comparison(report: dict[str, Any]) -> None:
    if "candidate" not in report:
        click.echo(report.get("reason", ""), err=True)
        return
    before = report.get("serving_before")
    click.echo(side_by_side(report["candidate"]["all"], before["all"] if before else None, "candidate",
                            "serving" if before else "(none)"), err=True)
    if "logs" in report["candidate"]:
        old = before.get("logs", {}).get("accuracy") if before else None
        click.echo(f"reviewed log messages kept for testing: n={report['candidate']['logs']['n']}, "
                   f"accuracy {old} → {report['candidate']['logs']['accuracy']}", err=True)
    click.echo(f"{report['decision'].upper()}: {report['reason']}", err=True)


def _retrain_options(function: Callable) -> Callable:
    function = click.option("--job", "job_id", type=int, hidden=True, help="Report progress to this console job.")(function)
    function = click.option("--tolerance", type=click.FloatRange(0, 0.2), default=DEFAULT_TOLERANCE, show_default=True,
                            help="How far accuracy or macro-F1 may drop and still count as 'not worse'.")(function)
    return click.option("--force", is_flag=True, help="Promote the candidate even if it is worse.")(function)


# --- NLU -----------------------------------------------------------------------------------


@click.command("export", help="Write reviewed messages (confirmed or relabelled in the console's inbox) into "
                              "data/nlu/from_logs.yml: personal data masked, duplicates of existing examples left out, "
                              "origin kept; new intents are declared in bot/domain/from_logs.yml.")
def nlu_export() -> None:
    echo_json(_export())


def _export() -> dict[str, Any]:
    from retraining.nlu_export import export_reviewed

    with session_scope(migrated_database_url()) as session:
        reviewed = reviewed_examples(session)
    return export_reviewed(get_settings(), reviewed).__dict__


@click.command("retrain", help="Validate the training data, train a candidate, evaluate it and the serving model on the "
                               "same fixed test set (held-out examples plus the test share of reviewed log messages), "
                               "print both, and promote the candidate only if it is not worse. Prints JSON.")
@click.option("--incremental", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Fine-tune the serving model (Rasa --finetune; possible when only examples were added) or train from scratch.")
@click.option("--epoch-fraction", type=click.FloatRange(0.05, 1.0), default=0.5, show_default=True,
              help="When fine-tuning: the share of the configured epochs to train.")
@click.option("--export", "export_first", is_flag=True, help="Export the reviewed messages first (what `kizuna nlu export` does).")
@_retrain_options
def nlu_retrain(incremental: str, epoch_fraction: float, export_first: bool, force: bool, tolerance: float, job_id: Optional[int]) -> None:
    from retraining.nlu_retrain import RetrainRequest, retrain

    request = RetrainRequest(force=force, incremental=incremental, tolerance=tolerance, epoch_fraction=epoch_fraction,
                             username=_who(job_id))

    def work(progress: Progress) -> dict[str, Any]:
        exported = None
        if export_first:
            progress("exporting the reviewed messages", 0.01)
            exported = _export()
        report = retrain(get_settings(), request, progress)
        return {**report, "export": exported} if exported else report

    report = _run_retrain(job_id, work)
    _print_comparison(report)
    echo_json(report)


@click.command("rollback", help="Serve the previous NLU model again (the running assistant switches without a restart).")
def nlu_rollback() -> None:
    from retraining.nlu_retrain import RetrainError, rollback
    from retraining.registry import RegistryError

    migrated_database_url()
    try:
        echo_json(rollback(get_settings()))
    except (RegistryError, RetrainError) as error:
        raise click.ClickException(str(error))


@click.command("versions", help="This group's model versions (or --kind's), newest first, one JSON object per line.")
@click.option("--kind", type=click.Choice(["nlu", "sentiment"]), help="This kind of model (default: the group's own).")
@click.pass_context
def versions(context: click.Context, kind: Optional[str]) -> None:
    kind = kind or (context.parent.info_name if context.parent else None)
    from retraining.registry import as_dict, history

    with session_scope(migrated_database_url()) as session:
        for row in history(session, kind):
            echo_json(as_dict(row))


# --- sentiment -----------------------------------------------------------------------------


@click.command("retrain", help="Add the corrected sentiment labels (train share) to the corpus, fine-tune a candidate, "
                               "evaluate it and the serving model on the held-out split plus the test share of the "
                               "corrections, and promote it only if it is not worse. Prints JSON.")
@click.option("--epochs", type=click.IntRange(1, 50), default=None, help="Epochs (default: the standard recipe's).")
@click.option("--limit", type=click.IntRange(1), help="Train on the first N corpus examples only (quick checks).")
@_retrain_options
def sentiment_retrain(epochs: Optional[int], limit: Optional[int], force: bool, tolerance: float, job_id: Optional[int]) -> None:
    from retraining.sentiment_retrain import SentimentRetrainRequest, retrain

    request = SentimentRetrainRequest(force=force, tolerance=tolerance, epochs=epochs, limit=limit, username=_who(job_id))
    report = _run_retrain(job_id, lambda progress: retrain(get_settings(), request, progress))
    _print_comparison(report)
    echo_json(report)


@click.command("rollback", help="Serve the previous sentiment model again (action servers pick it up within seconds).")
def sentiment_rollback() -> None:
    from retraining.registry import RegistryError
    from retraining.sentiment_retrain import rollback

    migrated_database_url()
    try:
        echo_json(rollback(get_settings()))
    except RegistryError as error:
        raise click.ClickException(str(error))


def _who(job_id: Optional[int]) -> str:
    if not job_id:
        return "cli"

    with session_scope(get_settings().effective_database_url) as session:
        job = session.get(TrainingJob, job_id)
        return job.started_by if job else "console"
