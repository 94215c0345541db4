"""Campaign e-mail goes to the one plain address it was queued for and to no one else, against a real SMTP
server (aiosmtpd, started here) that records every recipient it is given."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Iterator

import pytest
from aiosmtpd.controller import Controller

from kizuna.db.outbound_emails import EmailToSend
from kizuna.settings import Settings
from outreach.mailer import Mailer, SendFailed, build_message
from retraining.rasa_env import free_port

NOW = dt.datetime(2026, 12, 7, 10, tzinfo=dt.timezone.utc)
FROM = "Shop <hello@k.example>"
EMAIL = EmailToSend(id=1, to_address="ben@example.test", subject="Hello", text_body="Hi", html_body="<p>Hi</p>",
                    headers={}, message_id="<1@k.example>", attempts=1)
SEVERAL = ["ben@example.test, victim@evil.example", "Ben <ben@example.test>, <victim2@evil.example>",
           "group: ben@example.test, c@evil.example;", "ben@example.test,victim@evil.example"]


class Recipients:
    def __init__(self) -> None:
        self.received: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        self.received.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def server() -> Iterator[tuple[Recipients, Settings]]:
    recipients, port = Recipients(), free_port()
    controller = Controller(recipients, hostname="127.0.0.1", port=port)
    controller.start()
    yield recipients, Settings(smtp_host="127.0.0.1", smtp_port=port)
    controller.stop()


def test_the_message_goes_to_its_one_address_only(server):
    recipients, settings = server
    message = build_message(EMAIL, FROM, NOW)
    message["Cc"] = "victim@evil.example"  # whatever other headers say, the envelope names one recipient
    message["Bcc"] = "victim2@evil.example"

    with Mailer(settings) as mailer:
        mailer.send(message)

    assert recipients.received == [["ben@example.test"]]


@pytest.mark.parametrize("address", SEVERAL)
def test_an_address_naming_several_recipients_is_refused_for_good_before_anything_is_sent(server, address):
    recipients, settings = server

    with pytest.raises(SendFailed) as failure:
        build_message(replace(EMAIL, to_address=address), FROM, NOW)

    assert failure.value.permanent and "not one plain e-mail address" in str(failure.value)
    assert recipients.received == []


@pytest.mark.parametrize("address", SEVERAL)
def test_the_mailer_itself_refuses_a_to_header_with_several_recipients(server, address):
    recipients, settings = server
    message = build_message(EMAIL, FROM, NOW)
    message.replace_header("To", address)

    with Mailer(settings) as mailer, pytest.raises(SendFailed) as failure:
        mailer.send(message)

    assert failure.value.permanent
    assert recipients.received == []

