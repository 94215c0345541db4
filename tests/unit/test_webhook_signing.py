"""The webhook signature: what kizuna signs, what a receiver accepts, and the example receiver's agreement."""

from __future__ import annotations

import hashlib
import hmac
import importlib.util
from pathlib import Path

import pytest

from outreach import webhook_signing
from outreach.webhook_signing import SignatureError, parse_header, sign, verify

SECRET = "whsec_test-secret"
BODY = b'{"id":"e-1","type":"offer.issued","data":{"customer_external_id":"C0001"}}'
NOW = 1_796_000_000
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver.py"


def example_receiver():
    spec = importlib.util.spec_from_file_location("webhook_receiver_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_header_is_the_timestamp_and_the_hmac_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, BODY, NOW) == f"t={NOW},v1={expected}"
    assert verify(SECRET, BODY, sign(SECRET, BODY, NOW), now=NOW + 10) == NOW


@pytest.mark.parametrize("tamper", [
    lambda header, body: (header, body + b" "),  # a changed body
    lambda header, body: (header, body.replace(b"C0001", b"C0002")),
    lambda header, body: (header.replace(f"t={NOW}", f"t={NOW + 1}"), body),  # a moved timestamp
    lambda header, body: (sign("whsec_another-secret", body, NOW), body),  # someone else's secret
    lambda header, body: (header[:-1] + ("0" if header[-1] != "0" else "1"), body),  # one hex digit off
])
def test_a_tampered_delivery_is_refused(tamper):
    header, body = tamper(sign(SECRET, BODY, NOW), BODY)
    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, body, header, now=NOW)


@pytest.mark.parametrize("age", [301, -301, 3600])
def test_a_signature_outside_five_minutes_is_refused_even_if_genuine(age):
    with pytest.raises(SignatureError, match="tolerance"):
        verify(SECRET, BODY, sign(SECRET, BODY, NOW), now=NOW + age)
    assert verify(SECRET, BODY, sign(SECRET, BODY, NOW), now=NOW + 299) == NOW


@pytest.mark.parametrize("header", ["", "v1=abc", f"t={NOW}", f"t=soon,v1=abc", "garbage", f"t={NOW},v1="])
def test_a_malformed_header_is_refused(header):
    with pytest.raises(SignatureError, match="malformed"):
        verify(SECRET, BODY, header, now=NOW)


def test_any_of_several_v1_signatures_may_match():
    good = sign(SECRET, BODY, NOW).split("v1=")[1]
    assert parse_header(f"t={NOW},v1=00ff,v1={good}") == (NOW, ["00ff", good])
    assert verify(SECRET, BODY, f"t={NOW},v1=00ff,v1={good}", now=NOW) == NOW


def test_signatures_are_compared_in_constant_time(monkeypatch):
    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(webhook_signing.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    with pytest.raises(SignatureError):
        verify(SECRET, BODY, f"t={NOW},v1=deadbeef", now=NOW)
    assert compared == [(webhook_signing.signature(SECRET, NOW, BODY), "deadbeef")]


def test_signing_needs_a_secret():
    with pytest.raises(ValueError, match="secret"):
        sign("", BODY, NOW)


def test_the_example_receiver_accepts_what_kizuna_signs_and_refuses_the_rest():
    receiver = example_receiver()
    header = sign(SECRET, BODY, NOW)
    assert receiver.verify(SECRET, BODY, header, now=NOW + 60) == NOW
    with pytest.raises(receiver.InvalidSignature, match="older than five minutes"):
        receiver.verify(SECRET, BODY, header, now=NOW + 301)
    with pytest.raises(receiver.InvalidSignature, match="does not match"):
        receiver.verify(SECRET, BODY + b"x", header, now=NOW)
    with pytest.raises(receiver.InvalidSignature, match="malformed"):
        receiver.verify(SECRET, BODY, f"t={NOW},t={NOW},v1=ab", now=NOW)


def test_the_example_receiver_handles_an_event_once():
    seen = example_receiver().SeenEvents(size=2)
    assert seen.first_time("a") and not seen.first_time("a")
    assert seen.first_time("b") and seen.first_time("c")
    assert seen.first_time("a")  # forgotten once more recent events filled its memory
