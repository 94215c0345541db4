"""The trainers' side of the console: the NLU review inbox, sentiment corrections, model versions,
retraining from the console and rolling back. Pages are static files; data comes from these JSON routes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Optional

import yaml
from fastapi import Depends, FastAPI, Path as PathParam, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from console.errors import ApiError
from console.schemas import RetrainIn, ReviewIn, SentimentLabelIn
from console.staff_auth import staff, staff_page
from kizuna import audit
from kizuna.db import reviews
from kizuna.db.models import IntentReview, TrainingJob, TurnAnalysis, User
from kizuna.settings import Settings
from kizuna.training import jobs, registry

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
TRAINERS = ("trainer", "admin")
STATUSES = "^(pending|confirmed|relabelled|dismissed|all)$"
REASONS = "^(low_confidence|fallback|flagged)$"
KIND = "^(nlu|sentiment)$"
RECENT_JOBS = 20


def add_training_routes(app: FastAPI, sessions: sessionmaker[Session], settings: Settings) -> None:
    _add_pages(app, sessions)
    _add_review_routes(app, sessions, settings)
    _add_turn_routes(app, sessions)
    _add_model_routes(app, sessions, settings)


def _add_pages(app: FastAPI, sessions: sessionmaker[Session]) -> None:
    for path, file_name in {"/training": "inbox.html", "/models": "models.html"}.items():
        app.add_api_route(path, _page(file_name), methods=["GET"], include_in_schema=False,
                          dependencies=[Depends(staff_page(sessions, *TRAINERS))])


def _page(file_name: str) -> Callable[[], Any]:
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / file_name)

    return page


def _add_review_routes(app: FastAPI, sessions: sessionmaker[Session], settings: Settings) -> None:
    trainer = Depends(staff(sessions, *TRAINERS))

    @app.get("/api/training/inbox", dependencies=[trainer])
    async def inbox(status: str = Query("pending", pattern=STATUSES), reason: Optional[str] = Query(None, pattern=REASONS),
                    limit: int = Query(200, ge=1, le=500)) -> dict[str, Any]:
        """Customer turns the bot was unsure about, fell back on, or an agent flagged; pending ones lowest confidence first."""
        await run_in_threadpool(_collect, sessions, settings.review_below_confidence)
        return {"items": await _read(sessions, reviews.inbox, status, reason, limit)}

    @app.post("/api/training/inbox/review")
    async def review(body: ReviewIn, user: User = trainer) -> dict[str, Any]:
        """Confirm the bot's intent, relabel (an existing or a new intent), or dismiss the given inbox items."""
        return await run_in_threadpool(_review, sessions, user, body)

    @app.get("/api/training/intents", dependencies=[trainer])
    async def intents() -> dict[str, Any]:
        """The assistant's intents (from the domain), and new ones trainers chose that the domain does not have yet."""
        known = await run_in_threadpool(domain_intents, settings.domain_dir)
        chosen = await _read(sessions, _relabelled_intents)
        return {"intents": known, "new_intents": sorted(set(chosen) - set(known))}


def _add_turn_routes(app: FastAPI, sessions: sessionmaker[Session]) -> None:
    anyone = Depends(staff(sessions, "agent", *TRAINERS))
    turn_id_param = PathParam(ge=1, le=2**62)

    @app.post("/api/training/turns/{turn_id}/flag")
    async def flag(user: User = anyone, turn_id: int = turn_id_param) -> dict[str, Any]:
        """The bot misunderstood this customer turn: into the trainers' inbox (again, if it was reviewed)."""
        return await run_in_threadpool(_flag, sessions, user, turn_id)

    @app.post("/api/training/turns/{turn_id}/sentiment")
    async def correct_sentiment(body: SentimentLabelIn, user: User = anyone, turn_id: int = turn_id_param) -> dict[str, Any]:
        """The right sentiment label of this turn (the latest correction wins); used by `kizuna sentiment retrain`."""
        return await run_in_threadpool(_correct_sentiment, sessions, user, turn_id, body.label)


def _add_model_routes(app: FastAPI, sessions: sessionmaker[Session], settings: Settings) -> None:
    trainer = Depends(staff(sessions, *TRAINERS))

    @app.get("/api/training/models", dependencies=[trainer])
    async def models(kind: Optional[str] = Query(None, pattern=KIND)) -> dict[str, Any]:
        """Model versions, newest first, with their figures on the fixed test set and those of the model they were compared with."""
        return {"versions": await _read(sessions, _versions, kind)}

    @app.post("/api/training/jobs", status_code=201)
    async def start_job(body: RetrainIn, user: User = trainer) -> dict[str, Any]:
        """Start a retrain in its own process (409 while one of that kind runs); follow it with GET /api/training/jobs/{id}."""
        return await run_in_threadpool(_start_job, sessions, settings, user, body)

    @app.get("/api/training/jobs", dependencies=[trainer])
    async def recent_jobs(kind: Optional[str] = Query(None, pattern=KIND)) -> dict[str, Any]:
        return {"jobs": await _read(sessions, _recent_jobs, kind)}

    @app.get("/api/training/jobs/{job_id}", dependencies=[trainer])
    async def job(job_id: int = PathParam(ge=1, le=2**62)) -> dict[str, Any]:
        """Status, stage and progress (0..1) of a retrain; when finished, its result with the decision."""
        found = await _read(sessions, _job, job_id)
        if found is None:
            raise ApiError(404, "unknown_job", f"no training job {job_id}")
        return found

    @app.post("/api/training/models/{kind}/rollback")
    async def rollback(user: User = trainer, kind: str = PathParam(pattern=KIND)) -> dict[str, Any]:
        """Serve the model that served before the current one again (409 when there is none)."""
        result = await run_in_threadpool(_rollback, settings, kind)
        await run_in_threadpool(_audit, sessions, user, "rollback", {"kind": kind, **result})
        return result


async def _read(sessions: sessionmaker[Session], query: Callable[..., Any], *args: Any) -> Any:
    def run() -> Any:
        with sessions() as session:
            return query(session, *args)

    return await run_in_threadpool(run)


def _collect(sessions: sessionmaker[Session], below_confidence: float) -> None:
    try:
        with sessions.begin() as session:
            reviews.collect_candidates(session, below_confidence)
    except (IntegrityError, OperationalError) as error:
        # Another request queued the same turns at the same moment (or holds the write lock): they are in the inbox anyway.
        logger.info("inbox candidates not collected this time: %s", error.__class__.__name__)


def _review(sessions: sessionmaker[Session], user: User, body: ReviewIn) -> dict[str, Any]:
    intent = body.intent if body.action == "relabel" else None
    with sessions.begin() as session:
        try:
            changed = reviews.apply_review(session, body.ids, body.action, user.username, intent)
        except reviews.ReviewError as error:
            raise ApiError(422, "invalid_review", str(error))
        audit.record(session, user, "review", None, {"ids": body.ids, "action": body.action, "intent": intent, "changed": changed})
    return {"changed": changed, "action": body.action, "intent": intent}


def domain_intents(domain_dir: Path) -> list[str]:
    """Intent names from every domain file; an intent is a name or a one-key mapping with its options."""
    names: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        for intent in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []:
            names.update(intent.keys() if isinstance(intent, dict) else [str(intent)])
    return sorted(names)


def _relabelled_intents(session: Session) -> list[str]:
    chosen = select(IntentReview.intent).where(IntentReview.status == "relabelled", IntentReview.intent.is_not(None)).distinct()
    return list(session.scalars(chosen))


def _flag(sessions: sessionmaker[Session], user: User, turn_id: int) -> dict[str, Any]:
    with sessions.begin() as session:
        try:
            review = reviews.flag_turn(session, turn_id, user.username)
        except LookupError:
            raise ApiError(404, "unknown_turn", f"no customer turn {turn_id}")
        except reviews.ReviewError as error:
            raise ApiError(409, "flag_conflict", str(error))
        conversation_id = session.get(TurnAnalysis, turn_id).conversation_id  # type: ignore[union-attr]
        audit.record(session, user, "flag_turn", conversation_id, {"turn_id": turn_id, "review_id": review.id})
        return {"turn_id": turn_id, "review_id": review.id, "status": review.status, "reason": review.reason}


def _correct_sentiment(sessions: sessionmaker[Session], user: User, turn_id: int, label: str) -> dict[str, Any]:
    with sessions.begin() as session:
        try:
            correction = reviews.correct_sentiment(session, turn_id, label, user.username)
        except LookupError:
            raise ApiError(404, "unknown_turn", f"no customer turn {turn_id}")
        except reviews.ReviewError as error:
            raise ApiError(422, "invalid_label", str(error))
        conversation_id = session.get(TurnAnalysis, turn_id).conversation_id  # type: ignore[union-attr]
        audit.record(session, user, "correct_sentiment", conversation_id,
                     {"turn_id": turn_id, "label": label, "model_label": correction.model_label})
        return {"turn_id": turn_id, "label": correction.label, "model_label": correction.model_label,
                "corrected_by": correction.corrected_by}


def _versions(session: Session, kind: Optional[str]) -> list[dict[str, Any]]:
    return [registry.as_dict(row) for row in registry.history(session, kind)]


def _start_job(sessions: sessionmaker[Session], settings: Settings, user: User, body: RetrainIn) -> dict[str, Any]:
    with sessions.begin() as session:
        try:
            job = jobs.create_job(session, body.kind, user.username, {"force": body.force})
        except jobs.JobConflict as error:
            raise ApiError(409, "job_running", str(error))
        audit.record(session, user, "retrain", None, {"kind": body.kind, "force": body.force, "job_id": job.id})
    # Launched only once the job row is committed: the training process reads it.
    try:
        jobs.launch(settings, job)
    except OSError as error:
        jobs.finish(settings.effective_database_url, job.id, error=f"the training process did not start: {error}")
    return _read_job(sessions, job.id)


def _read_job(sessions: sessionmaker[Session], job_id: int) -> dict[str, Any]:
    with sessions() as session:
        return _job(session, job_id)  # type: ignore[return-value]


def _recent_jobs(session: Session, kind: Optional[str]) -> list[dict[str, Any]]:
    query = select(TrainingJob).order_by(TrainingJob.id.desc()).limit(RECENT_JOBS)
    return [jobs.as_dict(job) for job in session.scalars(query.where(TrainingJob.kind == kind) if kind else query)]


def _job(session: Session, job_id: int) -> Optional[dict[str, Any]]:
    job = session.get(TrainingJob, job_id)
    return None if job is None else jobs.as_dict(job)


def _rollback(settings: Settings, kind: str) -> dict[str, Any]:
    # Imported here: the sentiment trainer pulls in the training libraries, which the console needs only now.
    from kizuna.training import nlu_retrain, sentiment_retrain

    rollback, failure = {
        "nlu": (nlu_retrain.rollback, nlu_retrain.RetrainError),
        "sentiment": (sentiment_retrain.rollback, sentiment_retrain.SentimentRetrainError),
    }[kind]
    try:
        return rollback(settings)
    except registry.RegistryError as error:
        raise ApiError(409, "no_earlier_model", str(error))
    except failure as error:
        raise ApiError(409, "rollback_failed", str(error))


def _audit(sessions: sessionmaker[Session], user: User, action: str, detail: dict[str, Any]) -> None:
    with sessions.begin() as session:
        audit.record(session, user, action, None, detail)
