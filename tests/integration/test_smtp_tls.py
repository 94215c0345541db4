"""The SMTP password never travels in clear: without STARTTLS or SMTPS the mailer logs in only to a server on
this machine, and refuses otherwise (tried again later, like any problem with the server's settings). SMTPS
(TLS from the first byte, port 465) against a real aiosmtpd server with a certificate made here."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kizuna.settings import Settings
from outreach.mailer import Mailer, SendFailed, build_message, is_loopback
from retraining.rasa_env import free_port
from tests.integration.test_smtp_settings import (EMAIL, NOW, PASSWORD, USER, Recorder, authenticate,
                                                  certificate, trusted_server_context)

FROM = "Shop <hello@k.example>"
# The servers here take a log-in without STARTTLS on purpose: one speaks TLS from the start, one is on this machine.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class TlsRecorder(Recorder):
    """Records whether the connection itself is TLS (aiosmtpd's session.ssl is only set after STARTTLS)."""

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        self.received.append((server.transport.get_extra_info("ssl_object") is not None, session.auth_data.login.decode()))
        return "250 OK"


@pytest.fixture
def smtps_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    server_context = trusted_server_context(tmp_path, monkeypatch)
    recorder, port = TlsRecorder(), free_port()
    # auth_require_tls looks for STARTTLS only: the connection is TLS from the start here
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ssl_context=server_context, auth_required=True,
                            auth_require_tls=False, authenticator=authenticate)
    controller.start()
    yield recorder, port
    controller.stop()


@pytest.fixture
def plain_server():
    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, auth_required=True, auth_require_tls=False,
                            authenticator=authenticate)
    controller.start()
    yield recorder, port
    controller.stop()


def credentials(**given) -> Settings:
    return Settings(**({"smtp_username": USER, "smtp_password": PASSWORD} | given))


def test_smtps_speaks_tls_from_the_start_and_logs_in(smtps_server):
    recorder, port = smtps_server

    with Mailer(credentials(smtp_host="127.0.0.1", smtp_port=port, smtp_tls=True)) as mailer:
        mailer.send(build_message(EMAIL, FROM, NOW))

    assert recorder.received == [(True, USER)]


def test_smtps_refuses_a_certificate_it_cannot_trust(smtps_server, monkeypatch, tmp_path):
    recorder, port = smtps_server
    (tmp_path / "other").mkdir()
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate(tmp_path / "other")[0]))

    with Mailer(credentials(smtp_host="127.0.0.1", smtp_port=port, smtp_tls=True)) as mailer, \
            pytest.raises(SendFailed, match="(?i)certificate"):
        mailer.send(build_message(EMAIL, FROM, NOW))

    assert recorder.received == []


@pytest.mark.parametrize("host", ["smtp.shop.test", "192.0.2.25", "[2001:db8::25]", "localhost.shop.test"])
def test_no_password_goes_to_another_machine_without_tls(host):
    with Mailer(credentials(smtp_host=host, smtp_port=587)) as mailer, pytest.raises(SendFailed) as failure:
        mailer.send(build_message(EMAIL, FROM, NOW))

    assert "without TLS" in str(failure.value) and "KIZUNA_SMTP_STARTTLS=1" in str(failure.value)
    assert not failure.value.permanent and failure.value.server_failed  # the e-mail waits for the settings to be fixed
    assert PASSWORD not in str(failure.value)


def test_a_server_on_this_machine_may_take_the_log_in_without_tls(plain_server):
    recorder, port = plain_server

    for host in ("127.0.0.1", "localhost"):
        with Mailer(credentials(smtp_host=host, smtp_port=port)) as mailer:
            mailer.send(build_message(EMAIL, FROM, NOW))

    assert recorder.received == [(False, USER), (False, USER)]


def test_without_a_user_name_nothing_is_refused(plain_server):
    recorder, port = plain_server
    with Mailer(Settings(smtp_host="127.0.0.1", smtp_port=port)) as mailer, pytest.raises(SendFailed, match="530"):
        mailer.send(build_message(EMAIL, FROM, NOW))  # the server wants a log-in: its answer, not ours


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True),
                                            ("localhost", True), ("LOCALHOST.", True), ("10.0.0.1", False),
                                            ("localhost.evil.example", False), ("smtp.example.com", False)])
def test_what_counts_as_this_machine(host, loopback):
    assert is_loopback(host) is loopback
