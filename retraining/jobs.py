"""Retrains started from the console: a job row, a separate `kizuna … retrain --job N` process that
writes its progress into the row, and the console page that reads it."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone
from typing import Any, Callable, Optional

from sqlalchemy.orm import Session

from kizuna.db.engine import session_scope
from kizuna.db.models import TrainingJob
from kizuna.db.training_jobs import job_in_status
from kizuna.settings import PROJECT_ROOT, Settings

ACTIVE = ("queued", "running")
STALE_AFTER_SECONDS = 3 * 3600  # a job that has not finished by then died with its process


class JobConflict(RuntimeError):
    pass


def create_job(session: Session, kind: str, username: str, options: Optional[dict[str, Any]] = None) -> TrainingJob:
    """One retrain of a kind at a time: a second start while one runs is refused."""
    running = job_in_status(session, kind, ACTIVE)
    if running is not None and not _stale(running):
        raise JobConflict(f"a {kind} retrain started by {running.started_by} is still running (job {running.id})")
    if running is not None:
        running.status, running.error = "failed", "the training process stopped without reporting"
    job = TrainingJob(kind=kind, status="queued", stage="waiting to start", progress=0.0, started_by=username, options=options or {})
    session.add(job)
    session.flush()
    return job


def launch(settings: Settings, job: TrainingJob) -> subprocess.Popen:
    """The retrain runs in its own process, so the console stays responsive and survives its failure."""
    command = [sys.executable, "-m", "operations.cli", job.kind, "retrain", "--job", str(job.id)]
    if job.kind == "nlu":
        command.append("--export")  # from the console, what trainers reviewed goes in
    if (job.options or {}).get("force"):
        command.append("--force")
    log_dir = settings.var_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / f"retrain-job-{job.id}.log", "ab") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, start_new_session=True)


def progress_reporter(database_url: str, job_id: int) -> Callable[[str, float], None]:
    def report(stage: str, progress: float) -> None:
        with session_scope(database_url) as session:
            job = session.get(TrainingJob, job_id)
            if job is not None:
                job.status, job.stage, job.progress = "running", stage[:120], round(progress, 3)

    return report


def finish(database_url: str, job_id: int, result: Optional[dict[str, Any]] = None, error: Optional[str] = None) -> None:
    with session_scope(database_url) as session:
        job = session.get(TrainingJob, job_id)
        if job is None:
            return
        job.status = "failed" if error else "succeeded"
        job.stage = "failed" if error else (result or {}).get("decision", "done")
        job.progress, job.result, job.error = 1.0, result, error
        job.finished_at = datetime.now(timezone.utc)


def as_dict(job: TrainingJob) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "status": job.status, "stage": job.stage, "progress": job.progress,
            "started_by": job.started_by, "created_at": job.created_at, "finished_at": job.finished_at,
            "result": job.result, "error": job.error}


def _stale(job: TrainingJob) -> bool:
    created = job.created_at if job.created_at.tzinfo else job.created_at.replace(tzinfo=timezone.utc)
    return time.time() - created.timestamp() > STALE_AFTER_SECONDS
