"""Webhooks go to public addresses only, unless KIZUNA_WEBHOOK_ALLOW_PRIVATE is on: an endpoint on this machine,
a private network or a cloud metadata service is refused when it is added (console and CLI) and again before
each delivery, which then connects to the address it checked (a name cannot be re-pointed in between). Real
HTTP receivers; host names that must resolve to chosen addresses get them from a resolver set in the test."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import threading
from datetime import datetime, timezone
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

import httpx
import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from console.app import create_app
from kizuna import webhook_targets
from kizuna.db import webhooks
from kizuna.db.engine import session_factory, session_scope
from kizuna.db.models import WebhookDelivery
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings, get_settings
from kizuna.webhook_targets import HostUnresolved, Target, TargetNotPublic, TargetRefused, check_target, is_public
from operations.cli import main as kizuna_cli
from outreach.webhook_delivery import deliver_due
from tests.unit.test_console_api import FakeRasa, add_user, log_in

NOT_PUBLIC = ["http://127.0.0.1:5005", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8791",
              "http://2130706433:8791/", "http://localhost:8791", "http://127.1/", "http://0x7f.0.0.1/",
              "http://0.0.0.0:8000/", "http://[::]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/",
              "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::1]/", "http://10.0.0.5/", "http://172.16.3.4/",
              "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://224.0.0.1/",
              "http://[ff02::1]/", "http://240.0.0.1/", "http://255.255.255.255/", "https://192.0.2.10/"]
PUBLIC_NAME = "hooks.shop.test"  # resolves only through the test's resolver
PUBLIC_ADDRESS = "93.184.215.14"
NOW = datetime(2026, 12, 7, 10, tzinfo=timezone.utc)


class Receiver:
    """A real HTTP server that records what reaches it."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append({"path": self.path, "host": self.headers["Host"]})
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


def certificate_for(name: str, directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the host name (and only for it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[Receiver, Path]]:
    """An https receiver on 127.0.0.1 whose certificate names PUBLIC_NAME; the certificate to trust."""
    cert_path, key_path = certificate_for(PUBLIC_NAME, tmp_path)
    running = Receiver()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_path, key_path)
    running.server.socket = context.wrap_socket(running.server.socket, server_side=True)
    yield running, cert_path
    running.close()


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names the test resolves (its values changed by the test as it goes); any other name as usual."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):  # noqa: ANN001, ANN202
        if host not in answers:
            return real(host, port, *args, **kwargs)
        if not answers[host]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                for address in answers[host]]

    monkeypatch.setattr(webhook_targets.socket, "getaddrinfo", getaddrinfo)
    return answers


# --- the check itself -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_this_machine_private_networks_and_metadata_services_are_refused(url):
    with pytest.raises(TargetNotPublic, match="not a public address"):
        check_target(url, allow_private=False)


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_with_the_setting_on_the_shops_own_network_is_allowed(url):
    assert check_target(url, allow_private=True).address is None


def test_a_name_is_refused_if_any_of_its_addresses_is_not_public(resolver):
    resolver[PUBLIC_NAME] = [PUBLIC_ADDRESS, "10.1.2.3"]
    with pytest.raises(TargetNotPublic):
        check_target(f"https://{PUBLIC_NAME}/hooks", allow_private=False)
    resolver[PUBLIC_NAME] = [PUBLIC_ADDRESS, "2606:2800:220:1:248:1893:25c8:1946"]
    assert check_target(f"https://{PUBLIC_NAME}/hooks", allow_private=False).address == PUBLIC_ADDRESS


def test_a_public_address_is_accepted_as_it_is():
    target = check_target("https://8.8.8.8:8443/hooks", allow_private=False)
    assert (str(target.url), target.address) == ("https://8.8.8.8:8443/hooks", None)


def test_a_name_that_does_not_resolve_is_refused(resolver):
    resolver["nowhere.shop.test"] = []
    with pytest.raises(HostUnresolved, match="does not resolve"):
        check_target("https://nowhere.shop.test/hooks", allow_private=False)


@pytest.mark.parametrize("url, message", [
    ("ftp://8.8.8.8/", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
    ("https://", "no host"),
    ("https://user:pw@8.8.8.8/", "user name or password"),
    ("https://8.8.8.8:0/", "port"),
    ("https://8.8.8.8:65536/", "port"),
    ("https://8.8.8.8 /", "space or a control character"),
    ("https://8.8.8.8/\x00", "space or a control character"),
    ("https://8.8.8.8/\r\nX-Injected: 1", "space or a control character"),
    ("https://8.8.8.8/\u202e", "space or a control character"),
    ("http://[fe80::1%25eth0]/", "host is not valid"),
    ("http://[::1/", "not valid"),
])
def test_a_url_that_is_not_a_plain_http_url_is_refused_whatever_the_setting(url, message):
    for allow_private in (False, True):
        with pytest.raises(TargetRefused, match=message):
            check_target(url, allow_private=allow_private)


@pytest.mark.parametrize("address, public", [
    ("8.8.8.8", True), ("2606:4700:4700::1111", True), ("::ffff:8.8.8.8", True),
    ("::ffff:10.0.0.1", False), ("64:ff9b::7f00:1", False), ("2002:c0a8:101::1", False), ("::127.0.0.1", False),
])
def test_an_ipv6_address_carrying_an_ipv4_one_counts_as_that_one(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


def test_the_request_goes_to_the_checked_address_under_the_name(receiver):
    target = Target(httpx.URL(f"http://{PUBLIC_NAME}:{receiver.port}/hooks?x=1"), "127.0.0.1")
    url, headers, extensions = target.request_parts()

    with httpx.Client() as client:  # PUBLIC_NAME resolves nowhere here: only the checked address is used
        assert client.post(url, content=b"{}", headers=headers, extensions=extensions).status_code == 204

    assert receiver.received == [{"path": "/hooks?x=1", "host": f"{PUBLIC_NAME}:{receiver.port}"}]
    assert extensions == {"sni_hostname": PUBLIC_NAME} and headers["Connection"] == "close"


def test_over_https_the_checked_address_is_reached_with_the_names_certificate(tls_receiver):
    receiver, cert_path = tls_receiver
    url, headers, extensions = Target(httpx.URL(f"https://{PUBLIC_NAME}:{receiver.port}/hooks"), "127.0.0.1").request_parts()

    with httpx.Client(verify=ssl.create_default_context(cafile=str(cert_path))) as client:
        assert client.post(url, content=b"{}", headers=headers, extensions=extensions).status_code == 204
    assert receiver.received == [{"path": "/hooks", "host": f"{PUBLIC_NAME}:{receiver.port}"}]

    # the same address under another name: the certificate does not name it, so nothing is sent
    url, headers, extensions = Target(httpx.URL(f"https://other.shop.test:{receiver.port}/hooks"), "127.0.0.1").request_parts()
    with httpx.Client(verify=ssl.create_default_context(cafile=str(cert_path))) as client, \
            pytest.raises(httpx.ConnectError, match="(?i)hostname"):
        client.post(url, content=b"{}", headers=headers, extensions=extensions)
    assert len(receiver.received) == 1


# --- adding an endpoint -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", NOT_PUBLIC[:6])
def test_an_endpoint_that_is_not_public_is_not_added(sqlite_url, url):
    with pytest.raises(webhooks.WebhookError, match="not a public address"), session_scope(sqlite_url) as session:
        webhooks.create_endpoint(session, url, ["offer.issued"], "admin")
    with session_scope(sqlite_url) as session:
        assert webhooks.list_endpoints(session, include_inactive=True) == []


def test_an_endpoint_whose_host_does_not_resolve_is_not_added(sqlite_url, resolver):
    resolver["crm.shop.test"] = []
    with pytest.raises(webhooks.WebhookError, match="the host crm.shop.test does not resolve"), session_scope(sqlite_url) as session:
        webhooks.create_endpoint(session, "https://crm.shop.test/hooks", ["offer.issued"], "admin")


def test_with_the_setting_on_a_local_endpoint_is_added(sqlite_url, receiver):
    with session_scope(sqlite_url) as session:
        endpoint, _secret = webhooks.create_endpoint(session, f"http://127.0.0.1:{receiver.port}/hooks", ["offer.issued"],
                                                     "admin", allow_private_targets=True)
        assert endpoint.id is not None


@pytest.fixture
def console(app_env, tmp_path):
    ensure_secrets(tmp_path / "var")
    add_user(app_env, "admin", "admin-password", "admin")

    def open_console(**given: Any) -> TestClient:
        settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1, **given)
        client = TestClient(create_app(settings, rasa=FakeRasa()))
        log_in(client, "admin", "admin-password")
        return client

    return open_console


def test_the_console_refuses_a_metadata_endpoint_unless_the_setting_is_on(console):
    body = {"url": "http://169.254.169.254/latest/meta-data/", "events": ["offer.issued"]}
    refused = console().post("/api/webhooks/endpoints", json=body)
    assert refused.status_code == 422 and "not a public address" in refused.json()["error"]["message"]
    assert console().get("/api/webhooks/endpoints").json()["endpoints"] == []

    assert console(webhook_allow_private_targets=True).post("/api/webhooks/endpoints", json=body).status_code == 201


def test_the_cli_refuses_a_local_endpoint_unless_the_setting_is_on(app_env, monkeypatch, receiver):
    url = f"http://localhost:{receiver.port}/hooks"
    refused = CliRunner().invoke(kizuna_cli, ["webhooks", "add", url, "--event", "offer.issued"])
    assert refused.exit_code != 0 and "not a public address" in refused.output and "No endpoint was added" in refused.output

    monkeypatch.setenv("KIZUNA_WEBHOOK_ALLOW_PRIVATE", "1")
    get_settings.cache_clear()
    added = CliRunner().invoke(kizuna_cli, ["webhooks", "add", url, "--event", "offer.issued"])
    assert added.exit_code == 0, added.output


# --- before each delivery -----------------------------------------------------------------------------------


def queue_delivery(url: str, target: str, **given: Any) -> None:
    with session_scope(url) as session:
        webhooks.create_endpoint(session, target, ["offer.issued"], "admin", **given)
    with session_scope(url) as session:
        webhooks.enqueue_event(session, "offer.issued", {"customer_external_id": "C0001"}, NOW)


def the_delivery(url: str) -> WebhookDelivery:
    with session_scope(url) as session:
        [delivery] = webhooks.deliveries(session)
        session.expunge(delivery)
        return delivery


def test_a_name_re_pointed_at_this_machine_after_the_check_gets_nothing(sqlite_url, receiver, resolver):
    resolver[PUBLIC_NAME] = [PUBLIC_ADDRESS]
    queue_delivery(sqlite_url, f"http://{PUBLIC_NAME}:{receiver.port}/hooks")
    resolver[PUBLIC_NAME] = ["127.0.0.1"]  # DNS rebinding

    assert deliver_due(session_factory(sqlite_url), Settings(), now=NOW)["dead"] == 1

    delivery = the_delivery(sqlite_url)
    assert (delivery.status, delivery.last_error, delivery.last_status_code) == (
        "dead", "refused: the target address is not public", None)
    assert receiver.received == []


def test_an_endpoint_added_while_the_setting_was_on_gets_nothing_once_it_is_off(sqlite_url, receiver):
    queue_delivery(sqlite_url, f"http://127.0.0.1:{receiver.port}/hooks", allow_private_targets=True)

    assert deliver_due(session_factory(sqlite_url), Settings(webhook_allow_private_targets=False), now=NOW)["dead"] == 1

    delivery = the_delivery(sqlite_url)
    assert (delivery.last_error, delivery.last_status_code) == ("refused: the target address is not public", None)
    assert receiver.received == []


def test_a_name_that_stops_resolving_is_tried_again_later(sqlite_url, receiver, resolver):
    resolver[PUBLIC_NAME] = [PUBLIC_ADDRESS]
    queue_delivery(sqlite_url, f"http://{PUBLIC_NAME}:{receiver.port}/hooks")
    resolver[PUBLIC_NAME] = []

    assert deliver_due(session_factory(sqlite_url), Settings(), now=NOW)["retrying"] == 1
    assert "does not resolve" in the_delivery(sqlite_url).last_error


def test_with_the_setting_on_a_local_receiver_gets_its_delivery(sqlite_url, receiver):
    queue_delivery(sqlite_url, f"http://localhost:{receiver.port}/hooks", allow_private_targets=True)

    assert deliver_due(session_factory(sqlite_url), Settings(webhook_allow_private_targets=True), now=NOW)["delivered"] == 1
    assert receiver.received == [{"path": "/hooks", "host": f"localhost:{receiver.port}"}]
