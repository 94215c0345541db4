"""Scripted multi-turn conversations (tests/integration/conversations/*.yml) run end to end through the
console's API on the real stack, as the widget sends them: each turn's replies, queue state and retention
decision, then checks that hold for every conversation (no more than an answer and a follow-up per turn, no
question repeated or asked again once answered, no escalation in a calm conversation, the banner's state
matching the queue)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

import httpx
import pytest
from sqlalchemy import select
from websockets.sync.client import connect

from kizuna.settings import get_settings
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation as ConversationRow
from kizuna.db.models import FollowUp, RetentionDecision, TurnAnalysis
from kizuna.secrets import load_secrets
from sentiment.trend import intensity, load_trend_config
from tests.integration.chat import Chat
from tests.integration.conversation_cast import Cast, CastingOffice
from tests.integration.conversation_script import Conversation, load_all
from tests.integration.staff_client import staff_client

pytestmark = pytest.mark.integration

SCRIPTS = load_all()
FALLBACK = re.compile(r"didn't quite get that|could you rephrase", re.I)
HANDOFF = re.compile(r"queue for our team|bringing in a member|asked a member of our team|team is offline|"
                     r"agent will join|e-mail you at|passed this to our team|offline right now", re.I)
ASK_ORDER_NUMBER = re.compile(r"what'?s your order number", re.I)
ASK_CONTACT = re.compile(r"which (e-mail )?address should|leave me your e-mail address|leave your e-mail address", re.I)
CONTACT_CONFIRMED = re.compile(r"someone will e-mail you at", re.I)
ORDER_NUMBER = re.compile(r"\b\d{5}\b")
ORDER_ANSWER = r"(^|[.!?] )Order {n}\b|INV-{n}\b|refund[^.]* for order {n}\b"  # the order's own answer, not a question about it
ANYTHING_ELSE = re.compile(r"anything else", re.I)
NO = re.compile(r"\s*(no|nope|nah|no thanks|no, that's all|that's all|nothing else)\b", re.I)
MAX_BUBBLES = 2  # a primary answer and one follow-up (an offer, a handoff, a question)
_offices: dict[str, CastingOffice] = {}
_staff: dict[str, httpx.Client] = {}


@dataclass
class Turn:
    """One step of the conversation as it happened."""

    number: int
    said: Optional[str]
    replies: list[dict] = field(default_factory=list)
    shown: list[dict] = field(default_factory=list)  # messages the customer sees since the last step (agent, system)
    status: Optional[str] = None


class Customer(Chat):
    """The widget's customer; keeps the id of each message it sends (its turn's analysis and decision hang on it)."""

    def send(self, text: str, payload: Optional[str] = None) -> tuple[int, list[dict]]:
        answer = self.post(text, payload)
        return answer["message"]["id"], answer["replies"]

    def banner(self) -> dict:
        """The owner status the widget's live connection opens with: what its banner shows."""
        live_url = f"{self.url.replace('http://', 'ws://').rsplit('/', 1)[0]}/live"
        with connect(live_url, open_timeout=10, max_size=None) as live:
            live.send(json.dumps({"type": "auth", "conversation_secret": self.secret}))
            hello = json.loads(live.recv(timeout=10))
        assert hello.get("type") == "hello", hello
        return hello

    def history_state(self) -> tuple[str, list[dict]]:
        response = httpx.get(self.url, headers=self.headers, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()["status"], response.json()["messages"]


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_conversation(script: Conversation, request: pytest.FixtureRequest) -> None:
    running, url = request.getfixturevalue("stack" if script.hours == "open" else "closed_stack")
    office = _offices.setdefault(url, CastingOffice(url))
    cast = office.cast(script.who)
    customer = Customer(running, cast.customer_id)
    staff = _staff_client(running)
    run = _Run(script, cast, customer, staff, url)
    try:
        for number, step in enumerate(script.turns, start=1):
            run.step(number, step)
        run.conversation_wide_checks()
    finally:
        print(f"{script.name}:\n{_transcript(run.turns)}")  # shown with -s, and beside a failure
        _close_follow_ups(staff, customer.conversation_id)


class _Run:
    def __init__(self, script: Conversation, cast: Cast, customer: Customer, staff: httpx.Client, url: str) -> None:
        self.script, self.cast, self.customer, self.staff, self.url = script, cast, customer, staff, url
        self.turns: list[Turn] = []
        self.seen = 0  # the last message id the customer has seen

    # --- one step -------------------------------------------------------------------------------------

    def step(self, number: int, step: dict) -> None:
        message_id, turn = self._act(number, step)
        self.turns.append(turn)
        status, messages = self.customer.history_state()
        turn.shown = [m for m in messages if m["id"] > self.seen and m["sender"] != "customer"
                      and m["id"] not in {r["id"] for r in turn.replies}]
        self.seen = max([self.seen, *(m["id"] for m in messages)])
        turn.status = _db_status(self.url, self.customer.conversation_id)
        where = f"turn {number} ({turn.said!r})"
        try:
            assert status == turn.status, f"{where}: the widget's history says {status!r}, the queue {turn.status!r}"
            self._check_banner(where)
            self._check_turn(step, turn, message_id, where)
        except AssertionError as failed:
            raise AssertionError(f"{failed}\n{self.script.name}, as it went:\n{_transcript(self.turns)}") from None

    def _act(self, number: int, step: dict) -> tuple[Optional[int], Turn]:
        if "say" in step:
            text = self.cast.fill(step["say"])
            message_id, replies = self.customer.send(text)
            return message_id, Turn(number, text, replies)
        if "click" in step:
            button = self._offered(self.cast.fill(step["click"]))
            message_id, replies = self.customer.send(button["title"], payload=button["payload"])
            return message_id, Turn(number, f"[{button['title']}]", replies)
        if "rate" in step:
            self._rate(step["rate"])
            return None, Turn(number, f"[rating {step['rate'].get('score')}]")
        for action in step["staff"]:
            self._staff_step(action)
        return None, Turn(number, f"[staff: {_names(step['staff'])}]")

    def _offered(self, title: str) -> dict:
        offered = [b for turn in reversed(self.turns) for r in turn.replies + turn.shown for b in r.get("buttons", [])]
        for button in offered:
            if button["title"].lower().startswith(title.lower()):
                return button
        raise AssertionError(f"no button starting {title!r} was offered; offered: {[b['title'] for b in offered]}")

    def _staff_step(self, action: Any) -> None:
        name, value = (action, None) if isinstance(action, str) else next(iter(action.items()))
        base = f"/api/agent/conversations/{self.customer.conversation_id}"
        if name == "take":
            response = self.staff.post(f"{base}/take", json={})
        elif name == "reply":
            response = self.staff.post(f"{base}/messages", json={"text": self.cast.fill(str(value))})
        elif name == "release":
            response = self.staff.post(f"{base}/release")
        else:
            response = self.staff.post(f"{base}/resolve", json={"outcome": value or "retained"})
        assert response.status_code == 200, f"staff {name}: {response.status_code} {response.text}"

    def _rate(self, rating: dict) -> None:
        body = {"score": rating.get("score"), "comment": rating.get("comment")}
        if self.customer.token:  # a signed-in customer's conversation needs their token, as their messages do
            body["customer_token"] = self.customer.token
        response = httpx.post(f"{self.customer.url.rsplit('/', 1)[0]}/rating", json=body,
                              headers=self.customer.headers, timeout=60)
        expected = rating.get("expect_status")
        ok = response.status_code == expected if expected else 200 <= response.status_code < 300
        assert ok, f"rating {rating}: {response.status_code} {response.text}"

    # --- what each step must show ----------------------------------------------------------------------

    def _check_turn(self, step: dict, turn: Turn, message_id: Optional[int], where: str) -> None:
        text = " ".join(r["text"] for r in turn.replies)
        if "replies" in step:
            kinds = [r.get("kind", "text") for r in turn.replies]
            assert kinds == step["replies"], f"{where}: replies of kinds {kinds}, expected {step['replies']}"
        for pattern in step.get("contains", []):
            assert self._says(pattern, text), f"{where}: expected /{pattern}/"
        for pattern in step.get("excludes", []):
            assert not self._says(pattern, text), f"{where}: must not say /{pattern}/"
        titles = [b["title"] for r in turn.replies for b in r.get("buttons", [])]
        for pattern in step.get("buttons", []):
            assert any(self._says(pattern, t) for t in titles), f"{where}: no button /{pattern}/ in {titles}"
        shown = " ".join(m["text"] for m in turn.shown)
        for pattern in step.get("shown", []):
            assert self._says(pattern, shown), f"{where}: expected to be shown /{pattern}/"
        for kind in step.get("shown_kinds", []):
            assert kind in [m.get("kind") for m in turn.shown + turn.replies], f"{where}: no message of kind {kind}"
        fallback, fell_back = step.get("fallback"), FALLBACK.search(text) is not None
        if fallback == "expected":
            assert fell_back, f"{where}: expected the fallback answer"
        elif fallback is None:
            assert not fell_back, f"{where}: a fallback where an answer was due"
        if "status" in step:
            assert turn.status == step["status"], f"{where}: the conversation is {turn.status!r}, not {step['status']!r}"
            self._check_queue(turn.status, where)
        if "decision" in step:
            self._check_decision(step["decision"], message_id, where)
        if "feeling" in step:
            self._check_feeling(step["feeling"], message_id, where)
        if "follow_up" in step:
            assert _has_follow_up(self.url, self.customer.conversation_id) == step["follow_up"], f"{where}: open follow-up"
        limit = step.get("max_bubbles", MAX_BUBBLES)
        assert len(turn.replies) <= limit, f"{where}: {len(turn.replies)} bubbles in one turn"
        _no_repeated_question(turn.replies, where)

    def _check_banner(self, where: str) -> None:
        """The banner tells the truth: who has the conversation, whether the team can join now, whether an address was left."""
        banner = self.customer.banner()
        status = _db_status(self.url, self.customer.conversation_id)
        follow_up = _has_follow_up(self.url, self.customer.conversation_id)
        assert banner["status"] == status, f"{where}: the banner says {banner['status']!r}, the queue {status!r}"
        if status == "waiting_for_agent" or follow_up:
            team = "online" if self.script.hours == "open" else "offline"
            assert banner.get("team") == team, f"{where}: the banner says the team is {banner.get('team')!r}, it is {team}"
            assert banner.get("follow_up") == follow_up, f"{where}: the banner's follow-up {banner.get('follow_up')!r}, stored {follow_up}"

    def _says(self, pattern: str, text: str) -> bool:
        return re.search(self.cast.fill(pattern, escape=True), text, re.I | re.S) is not None

    def _check_queue(self, status: str, where: str) -> None:
        """The agents' queue (their API) agrees with the stored state."""
        for queue in ("waiting_for_agent", "agent"):
            listed = [c["conversation_id"] for c in self.staff.get("/api/agent/queue", params={"status": queue}).json()["conversations"]]
            assert (self.customer.conversation_id in listed) == (status == queue), f"{where}: the agents' {queue} queue"

    def _check_decision(self, expected: Any, message_id: Optional[int], where: str) -> None:
        expected = {"action": expected} if isinstance(expected, str) else expected
        decision = _decision_of(self.url, message_id)
        assert decision is not None, f"{where}: no retention decision stored for this turn"
        action, reasons = decision
        if "action" in expected:
            assert action == expected["action"], f"{where}: decision {action} {reasons}, expected {expected['action']}"
        for reason in expected.get("reasons", []):
            assert reason in reasons, f"{where}: decision {action} {reasons} lacks {reason}"
        for reason in expected.get("not_reasons", []):
            assert reason not in reasons, f"{where}: decision {action} {reasons} must not give {reason}"

    def _check_feeling(self, expected: Any, message_id: Optional[int], where: str) -> None:
        allowed = [expected] if isinstance(expected, str) else expected
        score = _sentiment_score_of(self.url, message_id)
        assert score is not None, f"{where}: no sentiment stored for this turn"
        feeling = intensity(score, load_trend_config(get_settings().trend_config_path))
        assert feeling in allowed, f"{where}: read as {feeling} (score {score:+.2f}), expected {' or '.join(allowed)}"

    # --- what holds for the whole conversation ---------------------------------------------------------

    def conversation_wide_checks(self) -> None:
        transcript = _transcript(self.turns)
        if self.script.calm:
            self._never_escalated(transcript)
        self._never_asked_again(transcript)
        if self.script.signed_in and self.cast.values.get("order"):
            asked = [t for t in self.turns if ASK_ORDER_NUMBER.search(_text(t.replies))]
            assert not asked, f"the bot asked a signed-in customer with orders to type a number instead of offering them:\n{transcript}"

    def _never_escalated(self, transcript: str) -> None:
        assert all(t.status not in ("waiting_for_agent", "agent") for t in self.turns), f"a calm conversation was queued:\n{transcript}"
        assert not any(HANDOFF.search(_text(t.replies)) for t in self.turns), f"a calm conversation got a handoff text:\n{transcript}"
        with session_scope(self.url) as session:
            actions = session.scalars(select(RetentionDecision.action).where(
                RetentionDecision.conversation_id == self.customer.conversation_id)).all()
        assert "escalate" not in actions, f"a calm conversation was escalated ({actions}):\n{transcript}"

    def _never_asked_again(self, transcript: str) -> None:
        """Once the customer gave an order number and got its answer, or confirmed an address, nobody asks for it again."""
        order_answered = address_confirmed = asked_anything_else = False
        for turn in self.turns:
            text = _text(turn.replies)
            if asked_anything_else and NO.match(turn.said or ""):
                assert ANYTHING_ELSE.search(text) is None, f"turn {turn.number}: 'anything else?' again after a no to it:\n{transcript}"
            if not (turn.said or "").startswith(("[staff:", "[rating")):  # a turn of the customer's
                asked_anything_else = bool(ANYTHING_ELSE.search(text))
            if order_answered:
                assert ASK_ORDER_NUMBER.search(text) is None, f"turn {turn.number} asks again for the order number:\n{transcript}"
            if address_confirmed:
                assert ASK_CONTACT.search(text) is None, f"turn {turn.number} asks again for the e-mail address:\n{transcript}"
            given = set(ORDER_NUMBER.findall(turn.said or ""))
            order_answered = order_answered or any(re.search(ORDER_ANSWER.format(n=n), text) for n in given)
            address_confirmed = address_confirmed or bool(CONTACT_CONFIRMED.search(text))


# --- reading the stack ---------------------------------------------------------------------------------


def _staff_client(running) -> httpx.Client:
    if running.console_url not in _staff:
        password = load_secrets(running.settings.var_dir)["admin_password"]
        _staff[running.console_url] = staff_client(running.console_url, "admin", password)
    return _staff[running.console_url]


def _close_follow_ups(staff: httpx.Client, conversation_id: str) -> None:
    """An agent writes to the customer who left an address: the follow-up leaves the open list (as after any
    conversation in the shop), so the next conversation's follow-ups stand alone."""
    response = staff.get("/api/agent/follow-ups")
    if response.status_code != 200:
        return
    for follow_up in response.json():
        if follow_up["conversation_id"] == conversation_id:
            staff.post(f"/api/agent/follow-ups/{follow_up['id']}/done")


def _db_status(url: str, conversation_id: str) -> Optional[str]:
    with session_scope(url) as session:
        return session.scalar(select(ConversationRow.status).where(ConversationRow.id == conversation_id))


def _decision_of(url: str, message_id: Optional[int]) -> Optional[tuple[str, list[str]]]:
    if message_id is None:
        return None
    with session_scope(url) as session:
        row = session.execute(select(RetentionDecision.action, RetentionDecision.reasons)
                              .join(TurnAnalysis, TurnAnalysis.id == RetentionDecision.turn_analysis_id)
                              .where(TurnAnalysis.message_id == message_id)).first()
        return (row[0], list(row[1] or [])) if row else None


def _sentiment_score_of(url: str, message_id: Optional[int]) -> Optional[float]:
    if message_id is None:
        return None
    with session_scope(url) as session:
        return session.scalar(select(TurnAnalysis.sentiment_score).where(TurnAnalysis.message_id == message_id))


def _has_follow_up(url: str, conversation_id: str) -> bool:
    with session_scope(url) as session:
        return session.scalar(select(FollowUp.id).where(FollowUp.conversation_id == conversation_id,
                                                        FollowUp.status == "open")) is not None


# --- texts -------------------------------------------------------------------------------------------


def _no_repeated_question(replies: list[dict], where: str) -> None:
    questions = [q.strip().lower() for r in replies for q in re.findall(r"[^.!?]*\?", r["text"])]
    assert len(questions) == len(set(questions)), f"{where}: a question asked twice in one turn"
    anything_else = [r for r in replies if ANYTHING_ELSE.search(r["text"])]
    assert len(anything_else) <= 1, f"{where}: 'anything else?' asked twice in one turn"


def _text(replies: list[dict]) -> str:
    return " ".join(r["text"] for r in replies)


def _bubbles(replies: list[dict]) -> list[str]:
    return [f"[{r.get('kind', 'text')}] {r['text']}" + (f" {[b['title'] for b in r['buttons']]}" if r.get("buttons") else "")
            for r in replies]


def _names(steps: list) -> str:
    return ", ".join(s if isinstance(s, str) else next(iter(s)) for s in steps)


def _transcript(turns: list[Turn]) -> str:
    lines = []
    for turn in turns:
        lines.append(f"  {turn.number}. customer: {turn.said}")
        lines += [f"       bot: {b}" for b in _bubbles(turn.replies)]
        lines += [f"       shown: {b}" for b in _bubbles(turn.shown)]
        lines.append(f"       -> {turn.status}")
    return "\n".join(lines)
