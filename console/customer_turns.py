"""A customer turn: store the message, let the bot answer, store and push the replies."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from kizuna import rasa_client
from kizuna.agent_hours import team_available
from kizuna.conversation_status import ConversationStatus
from kizuna.customer_tokens import TokenRefused, verify_token
from console.errors import ApiError
from console.health import rasa_health
from console.live_hub import LiveHub
from kizuna.rasa_client import BotReply, RasaClient, RasaUnavailable
from console.schemas import IncomingMessage, MessageOut, TurnResult
from kizuna.db import conversations as store
from kizuna.db.models import Conversation, Message
from kizuna.db.ratings import is_rating_request
from kizuna.follow_ups import has_open_follow_up
from kizuna.personal_data import EMAIL, PLACEHOLDERS
from kizuna.settings import get_settings
from kizuna.shop import get_shop_config
from kizuna.stored_text import original_text_cipher
from kizuna.typed_text import as_typed_text

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, I'm having a technical problem right now. Your message is saved, "
    "and we'll get back to you as soon as possible."
)


UNKNOWN_CONVERSATION = "no such conversation, or not with this secret; start a new one"
OFFER_PAYLOADS = {"/accept_offer", "/decline_offer"}
# A customer message still waiting for the bot this long after it arrived was left by a console that
# stopped mid-turn (a turn ends within the Rasa timeout of a few seconds).
ORPHANED_AFTER = timedelta(seconds=15)
Owner = tuple[Optional[str], Optional[str], bool]  # the conversation's status, its agent, whether a follow-up is open


def message_out(message: Message) -> MessageOut:
    payload = message.payload or {}
    buttons = payload.get("buttons", [])
    return MessageOut(
        id=message.id,
        conversation_id=message.conversation_id,
        sender=message.sender,
        direction=message.direction,
        text=message.text,
        buttons=buttons,
        kind=_kind(payload, buttons),
        client_message_id=message.client_message_id,
        reply_to_id=message.reply_to_id,
        created_at=message.created_at,
    )


def _kind(payload: dict[str, Any], buttons: list[dict[str, Any]]) -> str:
    """`offer` (a retention offer's card), `rating` (the request to rate the chat) or `text`."""
    if buttons and {b.get("payload") for b in buttons} <= OFFER_PAYLOADS:
        return "offer"
    return "rating" if is_rating_request(payload) else "text"


def status_event(status: Optional[str], agent: Optional[str], follow_up: bool = False) -> dict[str, Any]:
    """Who has the conversation, whether anyone from the team can join now (`team`: online | offline) and
    whether the customer left an address for a reply by e-mail (`follow_up`): the widget's banner says what is true."""
    event: dict[str, Any] = {"type": "status", "status": status, "agent": agent}
    if status == ConversationStatus.WAITING_FOR_AGENT or follow_up:  # the only states whose banner depends on the team's hours
        event.update(team="online" if team_available() else "offline", follow_up=follow_up)
    return event


def own_view(message: MessageOut, text: str) -> MessageOut:
    """The message as its customer sees it in their own session: their own words, unmasked."""
    return message if message.text == text else message.model_copy(update={"text": text})


def stored_reply_text(text: str) -> str:
    """A bot reply as stored and shown to staff: an e-mail address it echoes back to the customer (the one
    they left for a reply) is masked like the customer's own words; the shop's own addresses stay."""
    shop = {str(v).lower() for v in get_shop_config().facts.values() if isinstance(v, str) and "@" in v}
    return EMAIL.sub(lambda m: m.group(0) if m.group(0).lower() in shop else PLACEHOLDERS["email"], text)


class CustomerTurns:
    def __init__(self, sessions: sessionmaker[Session], rasa: RasaClient, hub: LiveHub, widget_secret: str = "") -> None:
        self.sessions, self.rasa, self.hub = sessions, rasa, hub
        self.widget_secret = widget_secret
        self._locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._missed_turns = True  # until the first answered turn shows the bot is up: catch up on earlier misses
        self._catch_up_task: Optional[asyncio.Task] = None

    async def handle(self, conversation_id: str, incoming: IncomingMessage, secret: Optional[str]) -> TurnResult:
        """Without a secret the message starts a new conversation (the result carries its secret);
        into an existing one only with its secret."""
        async with self._locks[conversation_id]:
            stored, owner_before = await run_in_threadpool(self._store_inbound, conversation_id, incoming, secret)
            if stored.duplicate:
                return await self._answer_orphan(conversation_id, stored)
            self.hub.publish(conversation_id, {"type": "message", "message": stored.message.model_dump(mode="json")})
            if owner_before[0] == ConversationStatus.AGENT:  # the message waits for the agent (marked so as it was stored)
                return stored.model_copy(update={"replies": []})
            replies, owner_after = await self._bot_replies(conversation_id, stored.message, incoming)
            for reply, _ in replies:  # staff follow the hub too: they get the stored (masked) text
                self.hub.publish(conversation_id, {"type": "message", "message": reply.model_dump(mode="json")})
            if owner_after != owner_before:  # the turn escalated the conversation, or the customer left an address
                self.hub.publish(conversation_id, status_event(*owner_after))
            # The answer goes to this customer only: the replies as the bot wrote them to them (their own message
            # comes back as stored; the widget shows what they typed from its own memory).
            return stored.model_copy(update={"replies": [own_view(r, text) for r, text in replies]})

    async def _answer_orphan(self, conversation_id: str, resent: TurnResult) -> TurnResult:
        """A resent message whose turn no console finished (it stopped mid-turn) gets the apology now,
        once; its analysis is caught up like any missed turn."""
        if resent.replies:
            return resent
        replies = await run_in_threadpool(self._store_orphan_apology, conversation_id, resent.message.id)
        if not replies:
            return resent
        self._missed_turns = True
        for reply in replies:
            self.hub.publish(conversation_id, {"type": "message", "message": reply.model_dump(mode="json")})
        return resent.model_copy(update={"replies": replies})

    def _store_orphan_apology(self, conversation_id: str, message_id: int) -> list[MessageOut]:
        received_before = datetime.now(timezone.utc) - ORPHANED_AFTER
        with self.sessions.begin() as session:
            if not store.claim_orphaned_turn(session, message_id, received_before):
                return []
            return [message_out(store.store_outbound(session, conversation_id, "system", APOLOGY, message_id, None))]

    def _store_inbound(self, conversation_id: str, incoming: IncomingMessage, secret: Optional[str]) -> tuple[TurnResult, Owner]:
        """The message stored once, and who owns the conversation now, in one transaction: a message that
        arrives while an agent owns the conversation is marked as waiting for the agent."""
        with self.sessions.begin() as session:
            try:
                issued = store.open_conversation(session, conversation_id, secret)
            except store.UnknownConversation:
                raise ApiError(404, "unknown_conversation", UNKNOWN_CONVERSATION)
            customer, refused = self._identify(session, incoming.customer_token)
            if customer is None and _signed_in(session, conversation_id):
                raise ApiError(401, "sign_in_again", "this conversation belongs to a signed-in customer; "
                                                     "sign in again, or start a new conversation")
            resend = store.find_by_client_id(session, conversation_id, incoming.client_message_id) is not None
            offered = {b.get("payload"): b.get("title") for b in store.offered_buttons(session, conversation_id)}
            if incoming.payload and not resend and incoming.payload not in offered:
                raise ApiError(422, "unknown_payload", "that choice is no longer available; please type your answer")
            # A button turn is stored as the title the bot showed, so staff read what was chosen, whatever the client sent.
            text = str(offered.get(incoming.payload) or incoming.text) if incoming.payload else incoming.text
            try:
                result = store.store_inbound(session, conversation_id, text, incoming.client_message_id, customer,
                                             {"button_payload": incoming.payload} if incoming.payload else None)
            except store.CustomerMismatch:
                raise ApiError(409, "customer_mismatch", "this conversation belongs to another customer")
            replies = store.replies_to(session, result.message.id) if result.duplicate else []
            owner = owner_of(session, conversation_id)
            if owner[0] == ConversationStatus.AGENT and not result.duplicate:
                result.message.status = "for_agent"
            return TurnResult(
                conversation_id=conversation_id,
                message=message_out(result.message),
                replies=[message_out(m) for m in replies],
                duplicate=result.duplicate,
                identity="customer" if customer else "anonymous",
                identity_refused=refused,
                conversation_secret=issued,
            ), owner

    def _identify(self, session: Session, token: Optional[str]) -> tuple[Optional[str], Optional[str]]:
        """(customer id, None) for a valid token naming a known customer, else (None, why it was refused)."""
        if not token:
            return None, None
        try:
            customer = verify_token(token, self.widget_secret)
        except TokenRefused as refused:
            return None, refused.reason
        if store.find_customer(session, customer) is None:
            return None, "unknown_customer"
        return customer, None

    async def _bot_replies(self, conversation_id: str, inbound: MessageOut, incoming: IncomingMessage
                           ) -> tuple[list[tuple[MessageOut, str]], Owner]:
        """The bot gets the customer's own words (e.g. the e-mail address it asks for); only storage masks them.
        Each reply as stored, with the text the bot wrote (for this customer's own view only), and who owns
        the conversation after the turn."""
        try:
            replies = await self.rasa.send(conversation_id, incoming.payload or _plain(incoming.text), {"message_id": inbound.id},
                                           is_command=bool(incoming.payload))
            status = "answered" if any(r.text or r.buttons for r in replies) else "unanswered"  # no answer: the actions failed
        except RasaUnavailable as error:
            logger.warning("rasa unavailable for message %s: %s", inbound.id, error)
            status = "bot_failed"
        answered = status == "answered"
        sender = "bot" if answered else "system"
        stored, owner = await run_in_threadpool(self._store_replies, conversation_id, inbound.id,
                                                replies if answered else [BotReply(text=APOLOGY)], sender, status)
        if not answered:
            self._missed_turns = True  # only now, with the status stored, can a catch-up find the message
        elif self._missed_turns:
            self.catch_up()
        return stored, owner

    def catch_up(self) -> None:
        """Analyse, in the background, the messages the bot missed while it was down (it is back now).
        One catch-up at a time; a miss during one is caught up by the next."""
        if self._catch_up_task is not None and not self._catch_up_task.done():
            return
        self._missed_turns = False
        self._catch_up_task = asyncio.get_running_loop().create_task(run_in_threadpool(self._backfill))

    async def keep_catching_up(self, every_seconds: float = 15.0) -> None:
        """Runs for the console's lifetime: misses after the last answered turn are caught up too,
        as soon as Rasa answers its status call, even if no customer writes again."""
        while True:
            await asyncio.sleep(every_seconds)
            if self._missed_turns and (await rasa_health(self.rasa))["ok"]:
                self.catch_up()

    def _backfill(self) -> None:
        from turn_core.backfill import backfill  # the sentiment model loads only when there are turns to catch up

        try:
            result = backfill(rasa_client.intent_of(self.rasa.base_url, self.rasa.token))
            logger.info("analysed the messages missed while the bot was down: %s", result)
        except Exception:
            logger.exception("could not analyse the missed messages; `kizuna backfill` does it")

    def _store_replies(
        self, conversation_id: str, inbound_id: int, replies: list[BotReply], sender: str, status: str
    ) -> tuple[list[tuple[MessageOut, str]], Owner]:
        cipher = original_text_cipher(get_settings())
        with self.sessions.begin() as session:
            stored = []
            for reply in replies:
                if not (reply.text or reply.buttons):
                    continue
                text = stored_reply_text(reply.text)
                message = store.store_outbound(session, conversation_id, sender, text, inbound_id, _payload(reply))
                if cipher is not None and text != reply.text:
                    message.original_encrypted = cipher.encrypt(reply.text.encode("utf-8")).decode("ascii")
                stored.append((message, reply.text))
            inbound = session.get(Message, inbound_id)
            if inbound is not None:
                inbound.status = status
            return [(message_out(m), text) for m, text in stored], owner_of(session, conversation_id)


def owner_of(session: Session, conversation_id: str) -> Owner:
    """(status, agent name, has an open follow-up) of the conversation; (None, None, False) if it does not exist yet."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None, None, False
    return conversation.status, conversation.agent_name, has_open_follow_up(session, conversation_id)


def _signed_in(session: Session, conversation_id: str) -> bool:
    """Whether a signed-in customer started this conversation: its turns then need that customer's
    valid token, or a stolen conversation secret would carry the customer's rights forever."""
    conversation = session.get(Conversation, conversation_id)
    return conversation is not None and conversation.customer_id is not None


def _plain(text: str) -> str:
    """Typed text never reaches Rasa as an intent command (`/intent{...}`): only offered buttons do."""
    return as_typed_text(text).strip() or "?"


def _payload(reply: BotReply) -> Optional[dict[str, Any]]:
    payload: dict[str, Any] = {}
    if reply.buttons:
        payload["buttons"] = reply.buttons
    if reply.custom:
        payload["custom"] = reply.custom
    return payload or None
