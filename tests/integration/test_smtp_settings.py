"""The mailer uses the SMTP settings: STARTTLS with the server's certificate checked, and the log-in.
A real aiosmtpd server that requires both, with a certificate made here for 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kizuna.db.outbound_emails import EmailToSend
from kizuna.settings import Settings
from outreach.mailer import Mailer, SendFailed, build_message
from retraining.rasa_env import free_port

USER, PASSWORD = "kizuna", "correct horse"
NOW = dt.datetime(2026, 12, 7, 10, tzinfo=dt.timezone.utc)
EMAIL = EmailToSend(id=1, to_address="wen@example.test", subject="Hello", text_body="Hi", html_body="<p>Hi</p>",
                    headers={"List-Unsubscribe": "<https://k.example/unsubscribe/1-1.sig>"}, message_id="<1@k.example>",
                    attempts=1)


def certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))
            .not_valid_after(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Recorder:
    def __init__(self) -> None:
        self.received: list[tuple[bool, str]] = []  # (over TLS, the logged-in user)

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        self.received.append((session.ssl is not None, session.auth_data.login.decode()))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=good, handled=False, auth_data=auth_data)


def trusted_server_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A TLS context for a test server with a certificate made here, the only one the client trusts."""
    cert_path, key_path = certificate(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert_path, key_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))
    return server_context


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    server_context = trusted_server_context(tmp_path, monkeypatch)
    recorder, port = Recorder(), free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, tls_context=server_context, require_starttls=True,
                            auth_required=True, auth_require_tls=True, authenticator=authenticate)
    controller.start()
    yield recorder, port
    controller.stop()


def settings(port: int, **given) -> Settings:
    values = dict(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=True, smtp_username=USER, smtp_password=PASSWORD)
    return Settings(**(values | given))


def test_the_mailer_upgrades_to_tls_and_logs_in_before_sending(tls_server):
    recorder, port = tls_server

    with Mailer(settings(port)) as mailer:
        mailer.send(build_message(EMAIL, "Shop <hello@k.example>", NOW))
        mailer.send(build_message(EMAIL, "Shop <hello@k.example>", NOW))  # the same connection

    assert recorder.received == [(True, USER), (True, USER)]


def test_a_wrong_password_is_a_failure_worth_retrying(tls_server):
    recorder, port = tls_server

    with Mailer(settings(port, smtp_password="wrong")) as mailer, pytest.raises(SendFailed) as failure:
        mailer.send(build_message(EMAIL, "Shop <hello@k.example>", NOW))

    assert not failure.value.permanent and "535" in str(failure.value) and PASSWORD not in str(failure.value)
    assert recorder.received == []


def test_without_starttls_the_server_refuses_and_nothing_is_sent_in_clear(tls_server):
    recorder, port = tls_server

    with Mailer(settings(port, smtp_starttls=False)) as mailer, pytest.raises(SendFailed) as failure:
        mailer.send(build_message(EMAIL, "Shop <hello@k.example>", NOW))

    assert not failure.value.permanent
    assert recorder.received == []


def test_a_certificate_the_mailer_cannot_trust_is_refused(tls_server, monkeypatch, tmp_path):
    recorder, port = tls_server
    (tmp_path / "other").mkdir()
    other_cert, _ = certificate(tmp_path / "other")
    monkeypatch.setenv("SSL_CERT_FILE", str(other_cert))

    with Mailer(settings(port)) as mailer, pytest.raises(SendFailed) as failure:
        mailer.send(build_message(EMAIL, "Shop <hello@k.example>", NOW))

    assert "CERTIFICATE_VERIFY_FAILED" in str(failure.value) or "certificate" in str(failure.value).lower()
    assert recorder.received == []
