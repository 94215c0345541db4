"""How a turn's messages are shown: to their customer, to staff, and in the widget's status banner."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from console.customer_identity import Identity, identify, started_signed_in
from console.live_events import status_event
from console.message_views import own_view
from console.schemas import MessageOut
from kizuna.conversation_status import ConversationStatus
from kizuna.customer_tokens import make_token
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Customer

SECRET = "widget-secret"


def test_the_customer_sees_their_own_words_and_staff_the_stored_text():
    stored = MessageOut(id=1, conversation_id="c", sender="bot", direction="out", text="We'll write to [email].",
                        created_at=datetime.now(timezone.utc))
    assert own_view(stored, "We'll write to ada@example.com.").text == "We'll write to ada@example.com."
    assert own_view(stored, stored.text) is stored


def test_the_banner_asks_about_the_team_only_while_waiting_or_with_a_follow_up():
    assert status_event(ConversationStatus.AGENT, "Mia") == {"type": "status", "status": ConversationStatus.AGENT, "agent": "Mia"}
    waiting = status_event(ConversationStatus.WAITING_FOR_AGENT, None)
    assert waiting["team"] in ("online", "offline") and waiting["follow_up"] is False
    assert status_event(ConversationStatus.BOT, None, follow_up=True)["follow_up"] is True


def _with_customer(session: Session) -> None:
    session.add(Customer(external_id="c-42", name="Ada"))
    session.flush()


def test_a_valid_token_for_a_known_customer_identifies_them(sqlite_url):
    with session_scope(sqlite_url) as session:
        _with_customer(session)
        assert identify(session, make_token("c-42", SECRET), SECRET) == Identity(customer="c-42")
        assert identify(session, make_token("c-42", SECRET), SECRET).kind == "customer"


def test_anything_else_is_anonymous_with_the_reason(sqlite_url):
    with session_scope(sqlite_url) as session:
        _with_customer(session)
        assert identify(session, None, SECRET) == Identity()
        assert identify(session, make_token("c-99", SECRET), SECRET) == Identity(refused="unknown_customer")
        assert identify(session, make_token("c-42", "another secret"), SECRET) == Identity(refused="bad_signature")
        assert identify(session, make_token("c-42", SECRET, ttl_seconds=-10), SECRET) == Identity(refused="expired")
        assert identify(session, "garbage", SECRET).kind == "anonymous"


def test_only_a_conversation_a_signed_in_customer_started_needs_their_token(sqlite_url):
    with session_scope(sqlite_url) as session:
        _with_customer(session)
        customer = session.query(Customer).filter_by(external_id="c-42").one()
        session.add_all([Conversation(id="theirs", customer_id=customer.id), Conversation(id="anonymous")])
        session.flush()
        assert started_signed_in(session, "theirs")
        assert not started_signed_in(session, "anonymous") and not started_signed_in(session, "new")
