"""The trainers' side of the console: the NLU review inbox (near-identical messages grouped, with the
conversation around each on demand), sentiment corrections, the serving models and their versions,
retraining from the console and rolling back. Pages are static files; data comes from these JSON routes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import yaml
from fastapi import APIRouter, Depends, Path as PathParam, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from console import deps
from console.errors import ApiError
from console.schemas import RetrainIn, ReviewIn, SentimentLabelIn
from kizuna import audit
from kizuna.db import reviews, training_jobs
from kizuna.db.models import TrainingJob, TurnAnalysis, User
from kizuna.rasa_client import RasaClient
from kizuna.settings import Settings
from retraining import inbox_groups, jobs, registry, serving

logger = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).parent / "static"
TRAINERS = ("trainer", "admin")
STATUSES = "^(pending|confirmed|relabelled|dismissed|all)$"
REASONS = "^(low_confidence|fallback|flagged)$"
KIND = "^(nlu|sentiment)$"
RECENT_JOBS = 20
GROUPS_PER_PAGE = 50
CONTEXT_TURNS = 2  # customer turns shown on each side of an inbox message, unless asked otherwise


class GroupReviewIn(BaseModel):
    groups: list[Annotated[str, Field(pattern=inbox_groups.GROUP_ID.pattern)]] = Field(
        min_length=1, max_length=200, description="Group ids from GET /api/training/inbox/groups (1 to 200).")
    action: str = Field(pattern="^(confirm|relabel|dismiss)$", description="confirm the group's intent, relabel, or dismiss.")
    intent: Optional[str] = Field(default=None, max_length=64, description="For relabel: an existing or a new intent name.")
    status: str = Field(default="pending", pattern=STATUSES, description="The status filter the groups were listed under.")
    reason: Optional[str] = Field(default=None, pattern=REASONS, description="The reason filter the groups were listed under.")


router = APIRouter(tags=["training"])
Trainer = deps.Trainer
AgentOrTrainer = Annotated[User, Depends(deps.staff("agent", *TRAINERS))]
TRAINER = Depends(deps.staff(*TRAINERS))
TurnId = Annotated[int, PathParam(ge=1, le=2**62)]


def _page(file_name: str) -> Callable[[], Any]:
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / file_name)

    return page


for _path, _file_name in {"/training": "inbox.html", "/models": "models.html"}.items():
    router.add_api_route(_path, _page(_file_name), methods=["GET"], include_in_schema=False,
                         dependencies=[Depends(deps.staff_page(*TRAINERS))])


# The review inbox

@router.get("/api/training/inbox", dependencies=[TRAINER])
async def inbox(sessions: deps.Sessions, settings: deps.AppSettings, status: str = Query("pending", pattern=STATUSES),
                reason: Optional[str] = Query(None, pattern=REASONS), limit: int = Query(200, ge=1, le=500)) -> dict[str, Any]:
    """Customer turns the bot was unsure about, fell back on, or an agent flagged; pending ones lowest confidence first."""
    await run_in_threadpool(_collect, sessions, settings.review_below_confidence)
    return {"items": await _read(sessions, reviews.inbox, status, reason, limit)}


@router.post("/api/training/inbox/review")
async def review(body: ReviewIn, sessions: deps.Sessions, user: Trainer) -> dict[str, Any]:
    """Confirm the bot's intent, relabel (an existing or a new intent), or dismiss the given inbox items."""
    return await run_in_threadpool(_review, sessions, user, body)


@router.get("/api/training/inbox/groups", dependencies=[TRAINER])
async def inbox_by_group(sessions: deps.Sessions, settings: deps.AppSettings, status: str = Query("pending", pattern=STATUSES),
                         reason: Optional[str] = Query(None, pattern=REASONS), offset: int = Query(0, ge=0, le=10**6),
                         limit: int = Query(GROUPS_PER_PAGE, ge=1, le=200)) -> dict[str, Any]:
    """The inbox with identical and near-identical messages as one group with a count (same text after lower
    case, NFKC, e-mail addresses and digits masked, punctuation dropped); pending: largest groups first."""
    await run_in_threadpool(_collect, sessions, settings.review_below_confidence)
    return await _read(sessions, inbox_groups.page, status, reason, offset, limit)


@router.post("/api/training/inbox/groups/review")
async def review_groups(body: GroupReviewIn, sessions: deps.Sessions, user: Trainer) -> dict[str, Any]:
    """Review every message of the given groups, as listed under the given filters; confirming a group
    confirms its intent for all of them."""
    return await run_in_threadpool(_review_groups, sessions, user, body)


@router.get("/api/training/inbox/{review_id}/context", dependencies=[TRAINER])
async def message_context(sessions: deps.Sessions, review_id: int = PathParam(ge=1, le=2**62),
                          before: int = Query(CONTEXT_TURNS, ge=0, le=5), after: int = Query(CONTEXT_TURNS, ge=0, le=5)) -> dict[str, Any]:
    """The inbox message with the few customer turns before and after it in its conversation (and the
    replies in between), personal data masked."""
    found = await _read(sessions, inbox_groups.context, review_id, before, after)
    if found is None:
        raise ApiError(404, "unknown_review", f"no inbox message {review_id}")
    return found


@router.get("/api/training/intents", dependencies=[TRAINER])
async def intents(sessions: deps.Sessions, settings: deps.AppSettings) -> dict[str, Any]:
    """The assistant's intents (from the domain), and new ones trainers chose that the domain does not have yet."""
    known = await run_in_threadpool(domain_intents, settings.domain_dir)
    chosen = await _read(sessions, reviews.relabelled_intents)
    return {"intents": known, "new_intents": sorted(set(chosen) - set(known))}


# Customer turns: flags and sentiment corrections, from agents and trainers

@router.post("/api/training/turns/{turn_id}/flag")
async def flag(sessions: deps.Sessions, user: AgentOrTrainer, turn_id: TurnId) -> dict[str, Any]:
    """The bot misunderstood this customer turn: into the trainers' inbox (again, if it was reviewed)."""
    return await run_in_threadpool(_flag, sessions, user, turn_id)


@router.post("/api/training/turns/{turn_id}/sentiment")
async def correct_sentiment(body: SentimentLabelIn, sessions: deps.Sessions, user: AgentOrTrainer, turn_id: TurnId) -> dict[str, Any]:
    """The right sentiment label of this turn (the latest correction wins); used by `kizuna sentiment retrain`."""
    return await run_in_threadpool(_correct_sentiment, sessions, user, turn_id, body.label)


# Models: versions, the serving ones, retraining and rolling back

@router.get("/api/training/models", dependencies=[TRAINER])
async def models(sessions: deps.Sessions, kind: Optional[str] = Query(None, pattern=KIND)) -> dict[str, Any]:
    """Model versions, newest first, with their figures on the fixed test set and those of the model they were compared with."""
    return {"versions": await _read(sessions, _versions, kind)}


@router.get("/api/training/models/serving", dependencies=[TRAINER])
async def serving_models(sessions: deps.Sessions, settings: deps.AppSettings, rasa: deps.Rasa,
                         kind: Optional[str] = Query(None, pattern=KIND)) -> dict[str, Any]:
    """The model serving now, per kind: its file, how it was chosen, when it was trained and its held-out
    figures (none: not evaluated yet), also when no retrain ever registered it."""
    kinds = [kind] if kind else list(registry.KINDS)
    loaded, answered = await _loaded_nlu_model(rasa) if "nlu" in kinds else (None, False)
    return {"models": await _read(sessions, _serving, settings, kinds, loaded, answered)}


@router.post("/api/training/jobs", status_code=201)
async def start_job(body: RetrainIn, sessions: deps.Sessions, settings: deps.AppSettings, user: Trainer) -> dict[str, Any]:
    """Start a retrain in its own process (409 while one of that kind runs); follow it with GET /api/training/jobs/{id}."""
    return await run_in_threadpool(_start_job, sessions, settings, user, body)


@router.get("/api/training/jobs", dependencies=[TRAINER])
async def recent_jobs(sessions: deps.Sessions, kind: Optional[str] = Query(None, pattern=KIND)) -> dict[str, Any]:
    return {"jobs": await _read(sessions, _recent_jobs, kind)}


@router.get("/api/training/jobs/{job_id}", dependencies=[TRAINER])
async def job(sessions: deps.Sessions, job_id: int = PathParam(ge=1, le=2**62)) -> dict[str, Any]:
    """Status, stage and progress (0..1) of a retrain; when finished, its result with the decision."""
    found = await _read(sessions, _job, job_id)
    if found is None:
        raise ApiError(404, "unknown_job", f"no training job {job_id}")
    return found


@router.post("/api/training/models/{kind}/rollback")
async def rollback(sessions: deps.Sessions, settings: deps.AppSettings, user: Trainer,
                   kind: str = PathParam(pattern=KIND)) -> dict[str, Any]:
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


def _review_groups(sessions: sessionmaker[Session], user: User, body: GroupReviewIn) -> dict[str, Any]:
    relabel_as = body.intent if body.action == "relabel" else None
    with sessions.begin() as session:
        try:
            result = inbox_groups.review_groups(session, body.groups, body.action, user.username, relabel_as, body.status, body.reason)
        except reviews.ReviewError as error:
            raise ApiError(422, "invalid_review", str(error))
        intent = relabel_as or (result["intents"][0] if len(result["intents"]) == 1 else None)
        audit.record(session, user, "review", None, {"groups": body.groups, "ids": result["ids"], "action": body.action,
                                                     "intent": intent, "intents": result["intents"], "changed": result["changed"]})
    return {"changed": result["changed"], "groups": result["groups"], "missing": result["missing"], "action": body.action,
            "intent": intent, "intents": result["intents"]}


def domain_intents(domain_dir: Path) -> list[str]:
    """Intent names from every domain file; an intent is a name or a one-key mapping with its options."""
    names: set[str] = set()
    for path in sorted(domain_dir.glob("*.yml")):
        for intent in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("intents") or []:
            names.update(intent.keys() if isinstance(intent, dict) else [str(intent)])
    return sorted(names)


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


async def _loaded_nlu_model(rasa: RasaClient) -> tuple[Optional[str], bool]:
    """The model file the running rasa server says it serves, and whether it answered."""
    try:
        status = await rasa.status()
    except Exception as error:  # not running, not answering, or answering nonsense: nothing to say about it
        logger.info("rasa did not say which model it serves: %s", error.__class__.__name__)
        return None, False
    loaded = status.get("model_file") if isinstance(status, dict) else None
    return (loaded if isinstance(loaded, str) and loaded else None), True


def _serving(session: Session, settings: Settings, kinds: list[str], loaded: Optional[str], answered: bool) -> list[dict[str, Any]]:
    described = {"nlu": lambda: serving.nlu_model(session, settings, loaded, answered),
                 "sentiment": lambda: serving.sentiment_model(session, settings)}
    return [described[kind]() for kind in kinds]


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
    return [jobs.as_dict(job) for job in training_jobs.recent_jobs(session, kind, RECENT_JOBS)]


def _job(session: Session, job_id: int) -> Optional[dict[str, Any]]:
    job = session.get(TrainingJob, job_id)
    return None if job is None else jobs.as_dict(job)


def _rollback(settings: Settings, kind: str) -> dict[str, Any]:
    # Imported here: the sentiment trainer pulls in the training libraries, which the console needs only now.
    from retraining import nlu_retrain, sentiment_retrain

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
