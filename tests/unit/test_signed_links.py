"""Signed links in campaign e-mail: genuine tokens verify, anything changed or reused for another purpose
does not; and the console's link routes answer a bad token with the same 404 page whatever was wrong."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from console.app import create_app
from kizuna.db.engine import session_scope
from kizuna.db.models import Campaign, CampaignContact, Customer, OutreachEvent
from kizuna.secrets import ensure_secrets
from kizuna.settings import Settings
from outreach import signed_links
from outreach.signed_links import CLICK, OPEN, UNSUBSCRIBE, LinkSecretMissing, sign, verify

SECRET = "a-long-random-link-secret"


def test_a_genuine_token_gives_back_its_ids():
    assert verify(SECRET, UNSUBSCRIBE, sign(SECRET, UNSUBSCRIBE, 12, 34)) == (12, 34)
    assert verify(SECRET, OPEN, sign(SECRET, OPEN, 5)) == (5,)


@pytest.mark.parametrize("tamper", [
    lambda token: token.replace("12-", "13-", 1),  # another customer
    lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # another signature
    lambda token: token.split(".")[0],  # no signature
    lambda token: token + ".x",
    lambda token: token.split(".")[0] + "." + token.split(".")[1][:-2],  # shortened signature
    lambda token: "12-34-56." + token.split(".")[1],
    lambda token: "",
    lambda token: "x" * 5000,
    lambda token: "١٢-٣٤." + token.split(".")[1],  # digits of another script
])
def test_a_changed_token_is_refused(tamper):
    assert verify(SECRET, UNSUBSCRIBE, tamper(sign(SECRET, UNSUBSCRIBE, 12, 34))) is None


def test_a_token_is_only_good_for_its_purpose_and_its_secret():
    token = sign(SECRET, CLICK, 9)

    assert verify(SECRET, OPEN, token) is None and verify(SECRET, UNSUBSCRIBE, token) is None
    assert verify("another-secret", CLICK, token) is None
    assert verify("", CLICK, token) is None


def test_signing_without_a_secret_or_for_an_unknown_purpose_fails_loudly():
    with pytest.raises(LinkSecretMissing):
        sign("", OPEN, 1)
    with pytest.raises(ValueError):
        sign(SECRET, "delete-account", 1)


def test_the_signature_is_compared_in_constant_time(monkeypatch):
    compared = []
    real = signed_links.hmac.compare_digest
    monkeypatch.setattr(signed_links.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))

    verify(SECRET, OPEN, sign(SECRET, OPEN, 1))

    assert len(compared) == 1


def test_urls_carry_the_tokens():
    assert signed_links.open_url("https://k.example", SECRET, 3) == f"https://k.example/o/{sign(SECRET, OPEN, 3)}.gif"
    assert signed_links.click_url("https://k.example", SECRET, 3) == f"https://k.example/c/{sign(SECRET, CLICK, 3)}"
    assert (signed_links.unsubscribe_url("https://k.example", SECRET, 7, 3)
            == f"https://k.example/unsubscribe/{sign(SECRET, UNSUBSCRIBE, 7, 3)}")


# --- the console's routes for these links ---------------------------------------------------


@pytest.fixture
def links(app_env, tmp_path):
    """(client, link secret, customer id, contact id) on the seeded demo shop with one campaign contact."""
    ensure_secrets(tmp_path / "var")
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, link_secret=SECRET,
                        public_url="https://kizuna.example")
    with session_scope(app_env) as session:
        customer = session.scalars(select(Customer).order_by(Customer.id)).first()
        campaign = Campaign(name="win-back", rule={"min_orders": 1}, created_by="admin")
        session.add(campaign)
        session.flush()
        contact = CampaignContact(campaign_id=campaign.id, customer_id=customer.id, contact_day=date(2026, 12, 7),
                                  arm="treatment", channel="email", status="sent", offer_id="save10", offer_kind="discount",
                                  cost=6, expected_gain=3, tier="silver", segment="steady", code="KZ-TESTCODE")
        session.add(contact)
        session.flush()
        ids = customer.id, contact.id
    return TestClient(create_app(settings)), app_env, *ids


def events(url):
    with session_scope(url) as session:
        return [event.kind for event in session.scalars(select(OutreachEvent).order_by(OutreachEvent.id))]


def test_the_open_pixel_records_the_first_open(links):
    client, url, _customer, contact = links

    for _ in range(3):
        answer = client.get(f"/o/{sign(SECRET, OPEN, contact)}.gif")
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/gif"
        assert answer.content.startswith(b"GIF89a") and answer.headers["cache-control"] == "no-store"

    assert events(url) == ["open"]
    with session_scope(url) as session:
        assert session.get(CampaignContact, contact).opened_at is not None


def test_a_click_is_recorded_and_goes_to_the_shop(links):
    client, url, _customer, contact = links

    answer = client.get(f"/c/{sign(SECRET, CLICK, contact)}", follow_redirects=False)

    assert answer.status_code == 303 and answer.headers["location"] == "https://kizuna.example/"
    assert events(url) == ["click"]
    with session_scope(url) as session:
        stored = session.get(CampaignContact, contact)
        assert stored.clicked_at is not None and stored.opened_at is not None


def test_bad_tokens_get_one_and_the_same_not_valid_page_and_change_nothing(links):
    client, url, customer, contact = links
    unknown_customer = sign(SECRET, UNSUBSCRIBE, 999_999, contact)  # genuine, but no such customer
    attempts = [
        ("get", f"/o/{sign(SECRET, CLICK, contact)}.gif"),  # a click token as a pixel
        ("get", f"/o/{sign('guessed', OPEN, contact)}.gif"),
        ("get", f"/o/{sign(SECRET, OPEN, 999_999)}.gif"),
        ("get", f"/c/{sign(SECRET, OPEN, contact)}"),
        ("get", f"/c/{sign(SECRET, CLICK, contact)[:-3]}"),
        ("get", f"/unsubscribe/{sign(SECRET, UNSUBSCRIBE, customer + 1, contact)[:-1]}A"),
        ("post", f"/unsubscribe/{sign(SECRET, CLICK, contact)}"),
        ("post", f"/unsubscribe/{sign(SECRET, UNSUBSCRIBE, customer)}"),  # one id only
        ("post", f"/unsubscribe/{unknown_customer}"),
        ("get", f"/unsubscribe/{unknown_customer}"),
    ]

    answers = [getattr(client, method)(path, follow_redirects=False) for method, path in attempts]

    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.text for answer in answers}) == 1 and "not valid" in answers[0].text
    assert events(url) == []
    with session_scope(url) as session:
        assert session.get(Customer, customer).unsubscribed_at is None


def test_the_unsubscribe_page_asks_first_then_the_post_unsubscribes(links):
    client, url, customer, contact = links
    path = f"/unsubscribe/{sign(SECRET, UNSUBSCRIBE, customer, contact)}"

    page = client.get(path)
    assert page.status_code == 200 and '<form method="post">' in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    with session_scope(url) as session:
        assert session.get(Customer, customer).unsubscribed_at is None

    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with session_scope(url) as session:
        unsubscribed = session.get(Customer, customer)
        assert unsubscribed.unsubscribed_at is not None and unsubscribed.email not in client.get(path).text
    assert events(url) == ["unsubscribe"]
    assert "You are unsubscribed" in client.get(path).text
