"""Campaign e-mail end to end against a real SMTP server (aiosmtpd, started here): what the customer
receives, retries while the server is down, parking, a permanent refusal, unsubscribe and erasure honoured
before anything is sent, and no e-mail sent twice by two workers at once. SQLite always, PostgreSQL when
reachable (required on CI)."""

from __future__ import annotations

import email
import email.policy
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy import select

from console.app import create_app
from kizuna.db import campaigns, outbound_emails
from kizuna.db.engine import session_factory
from kizuna.db.marketing_consent import consent_problem
from kizuna.db.models import Campaign, CampaignContact, Customer, OutboundEmail, OutreachEvent
from kizuna.erasure import ERASED_TEXT, erase_customer
from kizuna.settings import Settings
from outreach.backoff import BACKOFF
from outreach.campaign_email import queue_offer_email
from outreach.mail_delivery import deliver_due
from outreach.signed_links import UNSUBSCRIBE, verify
from outreach.worker import deliver_once, run_worker
from retention.catalog import Offer
from retention.policy import load_policy
from retraining.rasa_env import free_port

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
LINK_SECRET = "link-secret-for-tests"
OFFER = Offer(id="save10", text="Here is 10 % off your next order & free returns.", kind="discount", cost=6.0,
              uplift=0.08, valid_days=30)
REFUSED = "gone@example.test"
BUSY = "busy@example.test"


class Inbox:
    """aiosmtpd handler keeping what it received; refuses REFUSED for good (550) and BUSY for now (451)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        if address == REFUSED:
            return "550 5.1.1 mailbox unavailable"
        if address == BUSY:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on a fixed port that the test can stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def data_without_quiet_hours(tmp_path: Path) -> Path:
    """The shop's data directory with the quiet hours switched off: for tests that deliver at the real time of
    day, which may fall in them."""
    source, data = Settings().data_dir, tmp_path / "data"
    (data / "retention").mkdir(parents=True)
    for entry in source.iterdir():
        if entry.name != "retention":
            (data / entry.name).symlink_to(entry)
    for entry in (source / "retention").iterdir():
        if entry.name != "policy.yml":
            (data / "retention" / entry.name).symlink_to(entry)
    policy = yaml.safe_load((source / "retention" / "policy.yml").read_text(encoding="utf-8"))
    policy["quiet_hours_start"] = policy["quiet_hours_end"] = "00:00"
    (data / "retention" / "policy.yml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    return data


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(database_url: str, tmp_path: Path, smtp: SmtpServer) -> Settings:
    return Settings(var_dir=tmp_path / "var", database_url=database_url, smtp_host="127.0.0.1", smtp_port=smtp.port,
                    link_secret=LINK_SECRET, public_url="https://kizuna.example", mail_from="Kizuna Store <hello@kizuna.example>")


@pytest.fixture
def sessions(settings: Settings):
    return session_factory(settings.effective_database_url)


def queue(sessions, settings: Settings, name: str = "Wen <Li>", address: str = "wen@example.test",
          external_id: str = "C-1") -> int:
    """A consenting customer, a campaign contact with a code and its queued e-mail; the e-mail's id."""
    with sessions.begin() as session:
        customer = Customer(external_id=external_id, name=name, email=address, marketing_opt_in=True)
        campaign = session.scalar(select(Campaign).where(Campaign.name == "win-back"))
        if campaign is None:
            campaign = Campaign(name="win-back", rule={"min_churn_probability": 0.5}, created_by="admin", status="active")
            session.add(campaign)
        session.add(customer)
        session.flush()
        contact = CampaignContact(campaign_id=campaign.id, customer_id=customer.id, contact_day=NOW.date(), arm="treatment",
                                  channel="email", status="queued", offer_id=OFFER.id, offer_kind=OFFER.kind, cost=OFFER.cost,
                                  expected_gain=12.0, tier="silver", segment="steady", code=f"KZ-{external_id[2:]:0>8}",
                                  valid_until=date(2027, 1, 8))
        session.add(contact)
        queued = queue_offer_email(session, settings, contact, customer, OFFER, not_before=NOW)
        session.flush()
        return queued.id


def stored(sessions, email_id: int) -> OutboundEmail:
    with sessions() as session:
        return session.get(OutboundEmail, email_id)


def contact_of(sessions, email_id: int) -> CampaignContact:
    with sessions() as session:
        return session.get(CampaignContact, session.get(OutboundEmail, email_id).contact_id)


def test_the_customer_receives_the_rendered_offer_with_one_click_unsubscribe(smtp, settings, sessions):
    email_id = queue(sessions, settings)

    assert deliver_due(sessions, settings, now=NOW) == {"sent": 1, "retrying": 0, "parked": 0, "cancelled": 0, "deferred": 0, "held": 0}

    [(recipients, message)] = smtp.inbox.messages
    assert recipients == ["wen@example.test"]
    assert message["To"] == "wen@example.test" and message["From"] == "Kizuna Store <hello@kizuna.example>"
    assert message["Subject"] == "Wen, a little something from Kizuna Store"
    assert message["Message-ID"] == stored(sessions, email_id).message_id and message["Message-ID"].endswith("@kizuna.example>")
    unsubscribe_link = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe_link.startswith("https://kizuna.example/unsubscribe/")
    assert verify(LINK_SECRET, UNSUBSCRIBE, unsubscribe_link.rsplit("/", 1)[1]) is not None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "KZ-00000001" in part and "Friday, 8 January 2027" in part and unsubscribe_link in part
    assert "Here is 10 % off your next order & free returns." in text
    assert "10 % off your next order &amp; free returns." in html and "Hello Wen," in html
    assert "https://kizuna.example/o/" in html and "https://kizuna.example/c/" in html
    sent = stored(sessions, email_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert contact_of(sessions, email_id).status == "sent" and contact_of(sessions, email_id).sent_at is not None
    # sent once: a later round finds nothing to do
    assert deliver_due(sessions, settings, now=NOW + timedelta(hours=1))["sent"] == 0
    assert len(smtp.inbox.messages) == 1


def test_an_email_is_retried_after_the_server_was_down_and_then_up(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    smtp.stop()

    assert deliver_due(sessions, settings, now=NOW)["retrying"] == 1
    waiting = stored(sessions, email_id)
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert "Connection" in waiting.last_error or "refused" in waiting.last_error.lower()
    assert waiting.next_attempt_at.replace(tzinfo=timezone.utc) == NOW + BACKOFF[0]

    smtp.start()
    assert deliver_due(sessions, settings, now=NOW + timedelta(seconds=30))["sent"] == 0  # not due yet
    assert deliver_due(sessions, settings, now=NOW + BACKOFF[0])["sent"] == 1
    assert len(smtp.inbox.messages) == 1
    assert (stored(sessions, email_id).status, stored(sessions, email_id).attempts) == ("sent", 2)


def test_a_server_that_is_down_stops_the_round_and_the_rest_keep_their_tries(smtp, settings, sessions):
    ids = [queue(sessions, settings, name=f"Customer {n}", address=f"c{n}@example.test", external_id=f"C-{n:02d}")
           for n in range(3)]
    smtp.stop()

    assert deliver_due(sessions, settings, now=NOW) == {"sent": 0, "retrying": 1, "parked": 0, "cancelled": 0, "deferred": 2, "held": 0}
    assert [stored(sessions, email_id).attempts for email_id in ids] == [1, 0, 0]
    assert [stored(sessions, email_id).next_attempt_at.replace(tzinfo=timezone.utc) for email_id in ids[1:]] == [NOW, NOW]

    smtp.start()
    assert deliver_due(sessions, settings, now=NOW + timedelta(seconds=5))["sent"] == 2  # the next round
    assert deliver_due(sessions, settings, now=NOW + BACKOFF[0])["sent"] == 1
    assert sorted(address for addresses, _ in smtp.inbox.messages for address in addresses) == [
        "c0@example.test", "c1@example.test", "c2@example.test"]


def test_an_email_is_parked_after_the_last_try_and_sent_when_retried(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    smtp.stop()
    moment = NOW
    for wait in BACKOFF:
        assert deliver_due(sessions, settings, now=moment)["retrying"] == 1
        moment += wait
        assert stored(sessions, email_id).next_attempt_at.replace(tzinfo=timezone.utc) == moment
    assert deliver_due(sessions, settings, now=moment)["parked"] == 1

    parked = stored(sessions, email_id)
    assert (parked.status, parked.attempts) == ("parked", len(BACKOFF) + 1)
    assert contact_of(sessions, email_id).status == "parked"
    assert deliver_due(sessions, settings, now=moment + timedelta(days=1))["sent"] == 0
    with sessions() as session:
        assert [row["id"] for row in outbound_emails.parked_emails(session)] == [email_id]
        assert outbound_emails.email_counts(session)["parked"] == 1

    smtp.start()
    later = moment + timedelta(days=1)
    with sessions.begin() as session:
        assert outbound_emails.retry_parked(session, email_id, later)
        assert not outbound_emails.retry_parked(session, email_id, later)  # queued now, not parked
    assert deliver_due(sessions, settings, now=later)["sent"] == 1
    assert contact_of(sessions, email_id).status == "sent" and len(smtp.inbox.messages) == 1


# The shop's policy (data/retention/policy.yml): quiet from 21:00 to 08:00 in Berlin, i.e. 20:00 to 07:00 UTC in December.
NIGHT = datetime(2026, 12, 7, 22, 30, tzinfo=timezone.utc)
MORNING = datetime(2026, 12, 8, 7, 0, tzinfo=timezone.utc)


def test_the_shops_quiet_hours_are_the_ones_these_tests_expect(settings):
    policy = load_policy(settings.retention_policy_path)
    assert (policy.quiet_hours_start, policy.quiet_hours_end, policy.quiet_hours_timezone) == ("21:00", "08:00", "Europe/Berlin")


def test_email_due_in_the_quiet_hours_waits_for_their_end_without_using_a_try(smtp, settings, sessions):
    email_id = queue(sessions, settings)  # due since 10:00, held up (say, by an outage) until the night

    assert deliver_due(sessions, settings, now=NIGHT) == {"sent": 0, "retrying": 0, "parked": 0, "cancelled": 0,
                                                          "deferred": 0, "held": 1}
    held = stored(sessions, email_id)
    assert (held.status, held.attempts, held.next_attempt_at.replace(tzinfo=timezone.utc)) == ("queued", 0, MORNING)
    assert deliver_due(sessions, settings, now=MORNING - timedelta(minutes=1))["sent"] == 0 and smtp.inbox.messages == []
    assert deliver_due(sessions, settings, now=MORNING)["sent"] == 1
    assert stored(sessions, email_id).attempts == 1


def test_a_retry_the_backoff_puts_in_the_quiet_hours_waits_for_their_end(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    with sessions.begin() as session:  # three tries failed already: the next wait is 2 h
        session.get(OutboundEmail, email_id).attempts = 3
    smtp.stop()
    evening = datetime(2026, 12, 7, 19, 30, tzinfo=timezone.utc)  # 20:30 in Berlin; 2 h later it is quiet

    assert deliver_due(sessions, settings, now=evening)["retrying"] == 1
    assert stored(sessions, email_id).next_attempt_at.replace(tzinfo=timezone.utc) == MORNING


def test_an_email_retried_from_the_console_at_night_leaves_in_the_morning(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    with sessions.begin() as session:
        parked = session.get(OutboundEmail, email_id)
        parked.status, parked.attempts = "parked", len(BACKOFF) + 1
    with sessions.begin() as session:
        assert outbound_emails.retry_parked(session, email_id, NIGHT)

    assert deliver_due(sessions, settings, now=NIGHT)["held"] == 1 and smtp.inbox.messages == []
    assert deliver_due(sessions, settings, now=MORNING)["sent"] == 1


def test_an_email_whose_code_expired_is_cancelled_not_sent(smtp, settings, sessions):
    expired = queue(sessions, settings)
    with sessions.begin() as session:  # its last day was the day before
        session.get(CampaignContact, contact_of(sessions, expired).id).valid_until = date(2027, 1, 7)
    valid = queue(sessions, settings, name="Ana Ruiz", address="ana@example.test", external_id="C-2")
    last_day = datetime(2027, 1, 8, 12, 0, tzinfo=timezone.utc)  # of the valid one's code

    assert deliver_due(sessions, settings, now=last_day) == {"sent": 1, "retrying": 0, "parked": 0, "cancelled": 1,
                                                             "deferred": 0, "held": 0}
    assert (stored(sessions, expired).status, stored(sessions, expired).last_error) == (
        "cancelled", "the code KZ-00000001 expired on 2027-01-07")
    assert contact_of(sessions, expired).status == "cancelled"
    assert stored(sessions, valid).status == "sent" and [to for to, _ in smtp.inbox.messages] == [["ana@example.test"]]


def test_a_parked_email_is_not_retried_once_its_code_expired_or_the_customer_withdrew(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    with sessions.begin() as session:
        session.get(OutboundEmail, email_id).status = "parked"
    after_last_day = datetime(2027, 1, 9, 10, 0, tzinfo=timezone.utc)

    with sessions.begin() as session, pytest.raises(outbound_emails.RetryRefused, match="expired on 2027-01-08"):
        outbound_emails.retry_parked(session, email_id, after_last_day)
    with sessions.begin() as session, pytest.raises(outbound_emails.RetryRefused, match="expired on 2027-01-08"):
        outbound_emails.retry_parked(session, email_id, NOW, today=date(2027, 1, 9))  # the shop's day, if given
    with sessions.begin() as session:
        session.get(Customer, stored(sessions, email_id).customer_id).unsubscribed_at = NOW
    with sessions.begin() as session, pytest.raises(outbound_emails.RetryRefused, match="customer unsubscribed"):
        outbound_emails.retry_parked(session, email_id, NOW)
    assert stored(sessions, email_id).status == "parked" and smtp.inbox.messages == []


def test_a_paused_campaigns_email_waits_until_it_is_active_again(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    with sessions.begin() as session:
        session.scalar(select(Campaign)).status = "paused"

    assert deliver_due(sessions, settings, now=NOW + timedelta(hours=1)) == {"sent": 0, "retrying": 0, "parked": 0,
                                                                             "cancelled": 0, "deferred": 0, "held": 0}
    assert (stored(sessions, email_id).status, stored(sessions, email_id).attempts) == ("queued", 0)
    with sessions.begin() as session:
        assert not outbound_emails.claim_email(session, email_id, NOW + timedelta(hours=1), timedelta(minutes=10))

    with sessions.begin() as session:
        session.scalar(select(Campaign)).status = "active"
    assert deliver_due(sessions, settings, now=NOW + timedelta(hours=2))["sent"] == 1
    assert stored(sessions, email_id).attempts == 1 and len(smtp.inbox.messages) == 1


def test_a_permanent_refusal_parks_at_once_and_a_temporary_one_retries(smtp, settings, sessions):
    refused = queue(sessions, settings, address=REFUSED, external_id="C-1")
    busy = queue(sessions, settings, address=BUSY, external_id="C-2")

    assert deliver_due(sessions, settings, now=NOW) == {"sent": 0, "retrying": 1, "parked": 1, "cancelled": 0, "deferred": 0, "held": 0}

    assert (stored(sessions, refused).status, stored(sessions, refused).attempts) == ("parked", 1)
    assert "550" in stored(sessions, refused).last_error
    assert stored(sessions, busy).status == "queued" and "451" in stored(sessions, busy).last_error
    assert smtp.inbox.messages == []


def test_unsubscribe_is_honoured_at_once_and_the_queued_email_never_goes(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    link = stored(sessions, email_id).headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://kizuna.example")
    client = TestClient(create_app(settings))

    tampered = path[:-1] + ("A" if path[-1] != "A" else "B")
    assert client.post(tampered, data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert client.get(path).status_code == 200  # the page asks; a link scanner's GET changes nothing
    with sessions() as session:
        assert session.get(Customer, stored(sessions, email_id).customer_id).unsubscribed_at is None

    answer = client.post(path, data={"List-Unsubscribe": "One-Click"})  # RFC 8058, as a mail client sends it

    assert answer.status_code == 200 and "unsubscribed" in answer.text
    with sessions() as session:
        customer = session.get(Customer, stored(sessions, email_id).customer_id)
        assert customer.unsubscribed_at is not None
        assert [event.kind for event in session.scalars(select(OutreachEvent))] == ["unsubscribe"]
    assert stored(sessions, email_id).status == "cancelled"
    assert contact_of(sessions, email_id).status == "cancelled"
    assert deliver_due(sessions, settings, now=NOW + timedelta(hours=1)) == {"sent": 0, "retrying": 0, "parked": 0, "cancelled": 0, "deferred": 0, "held": 0}
    assert smtp.inbox.messages == []
    assert client.post(path).status_code == 200  # again: harmless


def test_consent_is_checked_again_right_before_sending(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    with sessions.begin() as session:
        session.get(Customer, stored(sessions, email_id).customer_id).marketing_opt_in = False

    assert deliver_due(sessions, settings, now=NOW)["cancelled"] == 1
    assert stored(sessions, email_id).last_error == "no marketing consent"
    assert smtp.inbox.messages == []


def test_the_worker_and_the_audience_apply_one_consent_rule(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    with sessions.begin() as session:  # the address became one of spaces only after queueing: none at all
        session.get(Customer, stored(sessions, email_id).customer_id).email = "   "
    with sessions() as session:
        customer = session.get(Customer, stored(sessions, email_id).customer_id)
        assert not campaigns.mailable(customer) and consent_problem(customer) == "no e-mail address"

    assert deliver_due(sessions, settings, now=NOW)["cancelled"] == 1
    assert stored(sessions, email_id).last_error == "no e-mail address" and smtp.inbox.messages == []


def test_an_erased_customer_is_never_mailed_and_their_email_is_blanked(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    other = queue(sessions, settings, name="Ana Ruiz", address="ana@example.test", external_id="C-2")
    with sessions.begin() as session:
        counts = erase_customer(session, "C-1", "admin", lambda _ids: 0)
    assert counts["outbound_emails"] == 1

    erased = stored(sessions, email_id)
    assert erased.status == "cancelled"
    assert {erased.to_address, erased.subject, erased.text_body, erased.html_body} == {ERASED_TEXT}
    assert erased.headers == {}
    assert deliver_due(sessions, settings, now=NOW)["sent"] == 1
    assert [recipients for recipients, _ in smtp.inbox.messages] == [["ana@example.test"]]
    assert stored(sessions, other).status == "sent"


def test_two_workers_at_once_never_send_an_email_twice(smtp, settings, sessions):
    ids = {queue(sessions, settings, name=f"Customer {n}", address=f"c{n}@example.test", external_id=f"C-{n:02d}")
           for n in range(12)}
    results: list[dict] = []
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        results.append(deliver_due(sessions, settings, now=NOW))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(result["sent"] for result in results) == len(ids)
    recipients = [address for addresses, _ in smtp.inbox.messages for address in addresses]
    assert sorted(recipients) == sorted(f"c{n}@example.test" for n in range(12))
    with sessions() as session:
        assert {row.attempts for row in session.scalars(select(OutboundEmail))} == {1}


def test_the_worker_delivers_until_it_is_stopped(smtp, settings, sessions, tmp_path):
    settings = settings.model_copy(update={"data_dir": data_without_quiet_hours(tmp_path)})  # it sends at the real time
    queue(sessions, settings)
    assert set(deliver_once(sessions, settings, NOW - timedelta(days=1))) == {"email", "webhooks"}  # nothing due yet
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(sessions, settings, stop), kwargs={"poll_seconds": 0.1})
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while not smtp.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        worker.join(timeout=10)

    assert not worker.is_alive()
    assert len(smtp.inbox.messages) == 1


def test_a_message_that_cannot_be_built_is_parked_at_once_not_retried_forever(smtp, settings, sessions):
    email_id = queue(sessions, settings)
    with sessions.begin() as session:
        session.get(OutboundEmail, email_id).subject = "Hello\r\nBcc: everyone@example.test"

    assert deliver_due(sessions, settings, now=NOW)["parked"] == 1
    assert "line" in stored(sessions, email_id).last_error and smtp.inbox.messages == []
