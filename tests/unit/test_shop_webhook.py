"""The shop's order reports (POST /api/shop/orders): only with a fresh signature made with the shop webhook
secret, stored once by order number, checked field by field, and the code on the order redeemed."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.app import create_app
from kizuna.db.customer_import import store_reported_order
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.models import CampaignContact, Customer, Order, OutreachEvent, WebhookDelivery
from kizuna.secrets import ensure_secrets, load_secrets
from kizuna.settings import Settings
from tests.unit import campaign_rows as rows
from tests.unit.campaign_rows import day, postgres_url  # noqa: F401 (a fixture)
from tests.unit.test_console_api import FakeRasa, add_user, log_in

PATH = "/api/shop/orders"


@pytest.fixture
def shop(app_env, tmp_path):
    """The console, with Ada (W1) contacted by a campaign with code KZ-WWWW2222 and Bo (W2) without one."""
    ensure_secrets(tmp_path / "var")
    with session_scope(app_env) as session:
        ada, bo = rows.customer(session, "W1", "Ada"), rows.customer(session, "W2", "Bo")
        rows.contact(session, rows.campaign(session), ada, code="KZ-WWWW2222", at=day(-2))
        rows.endpoint(session)
    settings = Settings(var_dir=tmp_path / "var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as client:
        client.secret = load_secrets(tmp_path / "var")["shop_webhook_secret"]
        yield client


def signed(secret: str, body: bytes, at: int | None = None) -> dict[str, str]:
    moment = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Kizuna-Signature": f"t={moment},v1={digest}", "Content-Type": "application/json"}


def report(client, order: dict | None = None, *, secret: str | None = None, at: int | None = None, headers=None, raw=None):
    body = raw if raw is not None else json.dumps(order).encode()
    sent_headers = headers if headers is not None else signed(secret or client.secret, body, at)
    return client.post(PATH, content=body, headers=sent_headers)


def an_order(**changes) -> dict:
    return {"order_number": "SHOP-1001", "customer_id": "W1", "placed_at": day(-1).isoformat(), "total": "59.90",
            "currency": "EUR", "status": "placed", "code": "kz-wwww2222", **changes}


def stored(url: str) -> dict:
    with session_scope(url) as session:
        contact = session.scalar(select(CampaignContact))
        return {"orders": session.scalar(select(func.count()).select_from(Order).where(Order.order_number.like("SHOP-%"))),
                "redeemed_order": contact.redeemed_order_id,
                "events": session.scalar(select(func.count()).select_from(OutreachEvent)),
                "deliveries": session.scalar(select(func.count()).select_from(WebhookDelivery))}


def test_a_signed_order_is_stored_and_its_code_redeemed_once(shop, app_env):
    first = report(shop, an_order())
    assert first.status_code == 201, first.text
    assert first.json() == {"order_number": "SHOP-1001", "created": True, "code": {"code": "KZ-WWWW2222", "outcome": "redeemed"}}
    after_first = stored(app_env)
    assert after_first["orders"] == 1 and after_first["redeemed_order"] is not None
    assert (after_first["events"], after_first["deliveries"]) == (1, 1)

    again = report(shop, an_order())  # the shop retries: same order, new signature
    assert again.status_code == 200
    assert again.json() == {"order_number": "SHOP-1001", "created": False, "code": {"code": "KZ-WWWW2222", "outcome": "already_redeemed"}}
    assert stored(app_env) == after_first

    shipped = report(shop, an_order(status="shipped", code=None))  # a later update without the code keeps it
    assert shipped.status_code == 200 and stored(app_env) == after_first
    with session_scope(app_env) as session:
        order = session.scalar(select(Order).where(Order.order_number == "SHOP-1001"))
        assert (order.status, order.offer_code, str(order.total)) == ("shipped", "KZ-WWWW2222", "59.90")


def test_another_customers_code_is_stored_on_the_order_but_redeems_nothing(shop, app_env):
    response = report(shop, an_order(customer_id="W2"))
    assert response.status_code == 201 and response.json()["code"] == {"code": "KZ-WWWW2222", "outcome": "other_customer"}
    assert stored(app_env) == {"orders": 1, "redeemed_order": None, "events": 0, "deliveries": 0}


def test_an_order_without_a_code_is_stored(shop, app_env):
    response = report(shop, an_order(code=None, order_number="SHOP-2"))
    assert response.status_code == 201 and response.json()["code"] is None and stored(app_env)["orders"] == 1


@pytest.mark.parametrize("how", ["missing", "wrong secret", "too old", "from the future", "tampered body", "malformed",
                                 "no v1", "staff login instead"])
def test_reports_without_a_good_fresh_signature_are_refused_with_401(shop, app_env, how):
    body = json.dumps(an_order()).encode()
    headers = signed(shop.secret, body)
    if how == "missing":
        headers.pop("Kizuna-Signature")
    elif how == "wrong secret":
        headers = signed("not-the-shop-secret", body)
    elif how == "too old":
        headers = signed(shop.secret, body, at=int(time.time()) - 360)
    elif how == "from the future":
        headers = signed(shop.secret, body, at=int(time.time()) + 360)
    elif how == "tampered body":
        body = body.replace(b"59.90", b"0.01")
    elif how == "malformed":
        headers["Kizuna-Signature"] = "sha256=" + headers["Kizuna-Signature"]
    elif how == "no v1":
        headers["Kizuna-Signature"] = headers["Kizuna-Signature"].split(",")[0]
    else:
        add_user(app_env, "admin", "admin-password", "admin")
        log_in(shop, "admin", "admin-password")
        headers.pop("Kizuna-Signature")
        headers["X-CSRF-Token"] = shop.headers["X-CSRF-Token"]
    response = shop.post(PATH, content=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] in ("signature_missing", "signature_invalid")
    assert stored(app_env)["orders"] == 0


def test_a_signature_just_inside_five_minutes_is_accepted(shop):
    assert report(shop, an_order(), at=int(time.time()) - 290).status_code == 201


def test_an_unknown_customer_is_a_422_that_says_so(shop, app_env):
    response = report(shop, an_order(customer_id="NOPE-9"))
    assert response.status_code == 422
    assert response.json()["error"] == {"code": "unknown_customer",
                                        "message": "no customer with id 'NOPE-9'; import the customer first"}
    assert stored(app_env)["orders"] == 0


@pytest.mark.parametrize("order, raw, words", [
    (an_order(total="-5"), None, "total: Input should be greater than or equal to 0"),
    (an_order(total="1.999"), None, "total: Decimal input should have no more than 2 decimal places"),
    (an_order(status="lost"), None, "status: not one of placed, processing, shipped, delivered, cancelled, returned"),
    (an_order(code="KZ 1!"), None, "code: not an offer code"),
    (an_order(order_number="x" * 33), None, "order_number: String should match pattern"),
    (an_order(placed_at="yesterday"), None, "placed_at: Input should be a valid datetime"),
    (an_order(placed_at="0001-01-01T00:00:00+05:00"), None, "placed_at: placed_at must be between the years 2000 and 2100"),
    (an_order(placed_at="9999-12-31T23:59:59-14:00"), None, "placed_at: placed_at must be between the years 2000 and 2100"),
    (an_order(discount="all of it"), None, "discount: Extra inputs are not permitted"),
    ({"order_number": "SHOP-1"}, None, "customer_id: Field required"),
    (None, b'{"order_number": ', "body: Invalid JSON"),
])
def test_a_bad_order_is_a_422_naming_the_field_and_stores_nothing(shop, app_env, order, raw, words):
    response = report(shop, order, raw=raw)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_order" and words in error["message"], error
    assert stored(app_env)["orders"] == 0


def test_an_order_number_of_another_customer_is_a_conflict(shop, app_env):
    assert report(shop, an_order(code=None)).status_code == 201
    response = report(shop, an_order(customer_id="W2", code=None))
    assert response.status_code == 409 and response.json()["error"]["code"] == "order_of_another_customer"
    with session_scope(app_env) as session:
        owner = session.scalar(select(Customer.external_id).join(Order, Order.customer_id == Customer.id)
                               .where(Order.order_number == "SHOP-1001"))
    assert owner == "W1"


def test_without_a_configured_secret_nothing_is_accepted(app_env, tmp_path, monkeypatch):
    settings = Settings(var_dir=tmp_path / "empty-var", database_url=app_env, action_server_port=1)
    with TestClient(create_app(settings, rasa=FakeRasa())) as client:
        response = client.post(PATH, content=b"{}", headers=signed("", b"{}"))
    assert response.status_code == 503 and response.json()["error"]["code"] == "not_configured"


def test_the_same_order_reported_twice_at_once_is_stored_once(postgres_url):  # noqa: F811
    with session_scope(postgres_url) as session:
        rows.customer(session, "W1")
    values = {"placed_at": day(-1), "total": Decimal("59.90"), "currency": "EUR", "status": "placed", "offer_code": None,
              "on_discount": False, "new_product": False}
    engine = get_engine(postgres_url)
    with Session(engine) as first, Session(engine) as second:
        _, first_created = store_reported_order(first, "W1", "SHOP-7", values)  # inserted, not committed yet
        outcomes: list[bool] = []

        def report_again() -> None:
            outcomes.append(store_reported_order(second, "W1", "SHOP-7", {**values, "status": "shipped"})[1])
            second.commit()

        racer = threading.Thread(target=report_again)
        racer.start()
        time.sleep(0.5)
        first.commit()
        racer.join(timeout=30)
    assert first_created is True and outcomes == [False]
    with session_scope(postgres_url) as session:
        assert session.execute(select(Order.status).where(Order.order_number == "SHOP-7")).scalars().all() == ["shipped"]
