"""Follow-ups by e-mail: a customer asked for a person while the team was away and left an address.

The address is understood in whatever words it came in, checked strictly (one plain address, nothing
that could be markup), stored encrypted (Fernet, with KIZUNA_PERSONAL_DATA_KEY, else a key kizuna keeps
in var/contact.key) beside a keyed hash that lets an erasure find it, and read back only for staff.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from cryptography.fernet import Fernet
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from kizuna.db.models import Conversation, Customer, FollowUp
from kizuna.private_files import private_dir
from kizuna.settings import Settings, get_settings

MAX_ADDRESS = 254
MAX_LOCAL = 64
_CANDIDATE = re.compile(r"\S*@\S*")
_EDGE = "\"'`<>()[]{}.,;:!?*"
_LOCAL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TLD = re.compile(r"[A-Za-z]{2,24}")


class NotAnAddress(ValueError):
    """The text holds no usable e-mail address; the message says why, for the customer."""


def clean_address(candidate: str) -> Optional[str]:
    """The address, domain in lower case, if `candidate` is exactly one plain e-mail address; else None."""
    address = candidate.strip()
    if len(address) > MAX_ADDRESS or address.count("@") != 1:
        return None
    local, domain = address.split("@")
    if len(local) > MAX_LOCAL or not _LOCAL.fullmatch(local) or ".." in local:
        return None
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels) or not _TLD.fullmatch(labels[-1]):
        return None
    return f"{local}@{domain.lower()}"


def address_in(text: str, entity: Optional[str] = None) -> str:
    """The one e-mail address in the customer's words ("my email is x@y.com", "you can reach me at ...",
    "it's x@y.com."); raises NotAnAddress with what to tell them otherwise."""
    candidates = [c.strip(_EDGE) for c in _CANDIDATE.findall(text or "")]
    if entity:
        candidates.insert(0, entity.strip(_EDGE))
    candidates = [c for c in candidates if c]
    if not candidates:
        raise NotAnAddress("no_address")
    found = {clean_address(c) for c in candidates}
    if None in found:
        raise NotAnAddress("invalid")
    if len(found) > 1:
        raise NotAnAddress("several")
    return found.pop()  # type: ignore[return-value]


# --- encryption at rest --------------------------------------------------------------------------------

def contact_key(settings: Optional[Settings] = None) -> bytes:
    settings = settings or get_settings()
    if settings.personal_data_key:
        return settings.personal_data_key.encode("ascii")
    return _local_key(settings.var_dir)


def _local_key(var_dir: Path) -> bytes:
    """A key made once and kept owner-only in var/contact.key (created atomically: the console and the
    action server may both reach for it first)."""
    path = var_dir / "contact.key"
    if not path.exists():
        private_dir(var_dir)
        draft = var_dir / f".contact.key.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as file:
            file.write(Fernet.generate_key())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
    return path.read_bytes().strip()


def encrypt_contact(address: str, settings: Optional[Settings] = None) -> str:
    return Fernet(contact_key(settings)).encrypt(address.encode("utf-8")).decode("ascii")


def decrypt_contact(token: str, settings: Optional[Settings] = None) -> str:
    return Fernet(contact_key(settings)).decrypt(token.encode("ascii")).decode("utf-8")


def contact_hash(address: str, settings: Optional[Settings] = None) -> str:
    """A keyed hash of the address (case-insensitive), so an erasure finds it without a plaintext copy."""
    return hmac.new(b"kizuna-contact:" + contact_key(settings), address.strip().lower().encode("utf-8"),
                    hashlib.sha256).hexdigest()


# --- the follow-ups ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FollowUpView:
    """A follow-up as staff see it (the only place the address is decrypted)."""

    id: int
    conversation_id: str
    customer_id: Optional[str]
    contact: str
    channel: str
    status: str
    created_at: datetime


def record_follow_up(session: Session, conversation_id: str, address: str, now: Optional[datetime] = None,
                     settings: Optional[Settings] = None) -> FollowUp:
    """The conversation's open follow-up, now with this address (one open follow-up per conversation)."""
    address = clean_address(address) or ""
    if not address:
        raise NotAnAddress("invalid")
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise LookupError(conversation_id)
    row = session.scalar(select(FollowUp).where(FollowUp.conversation_id == conversation_id, FollowUp.status == "open"))
    if row is None:
        row = FollowUp(conversation_id=conversation_id, status="open", channel="email")
        session.add(row)
    row.customer_id = conversation.customer_id
    row.contact_encrypted = encrypt_contact(address, settings)
    row.contact_hash = contact_hash(address, settings)
    row.created_at = now or datetime.now(timezone.utc)
    session.flush()
    return row


def has_open_follow_up(session: Session, conversation_id: str) -> bool:
    return session.scalar(select(FollowUp.id).where(FollowUp.conversation_id == conversation_id,
                                                    FollowUp.status == "open").limit(1)) is not None


def open_follow_ups(session: Session, limit: int = 200, settings: Optional[Settings] = None) -> list[FollowUpView]:
    """Open follow-ups, oldest first, with the address readable: for staff routes only."""
    rows = session.execute(select(FollowUp, Customer.external_id).outerjoin(Customer, Customer.id == FollowUp.customer_id)
                           .where(FollowUp.status == "open").order_by(FollowUp.created_at, FollowUp.id).limit(limit))
    return [_view(row, external_id, settings) for row, external_id in rows]


def mark_done(session: Session, follow_up_id: int, agent: str, now: Optional[datetime] = None,
              settings: Optional[Settings] = None) -> FollowUpView:
    """Mark a follow-up done; what staff see of it afterwards."""
    row = session.get(FollowUp, follow_up_id)
    if row is None:
        raise LookupError(follow_up_id)
    row.status, row.done_at, row.done_by = "done", now or datetime.now(timezone.utc), agent[:80]
    customer = session.get(Customer, row.customer_id) if row.customer_id else None
    return _view(row, customer.external_id if customer else None, settings)


def _view(row: FollowUp, external_id: Optional[str], settings: Optional[Settings]) -> FollowUpView:
    return FollowUpView(row.id, row.conversation_id, external_id, decrypt_contact(row.contact_encrypted, settings),
                        row.channel, row.status, row.created_at)


def erase_follow_ups(session: Session, customer_id: int, conversation_ids: list[str], email: Optional[str],
                     settings: Optional[Settings] = None) -> int:
    """Delete the follow-ups of the customer: theirs, of their conversations, or carrying their e-mail address."""
    match = [FollowUp.customer_id == customer_id]
    if conversation_ids:
        match.append(FollowUp.conversation_id.in_(conversation_ids))
    if email:
        match.append(FollowUp.contact_hash == contact_hash(email, settings))
    return session.execute(delete(FollowUp).where(or_(*match))).rowcount
