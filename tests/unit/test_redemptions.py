"""Offer codes on orders: a code redeems only its own customer's contact or chat offer, only while valid, once;
imports carry the code and the marketing consent and never undo an unsubscribe."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from churn.tabular_input import InputError
from kizuna.db.engine import get_engine, session_scope
from kizuna.db.models import CampaignContact, Customer, IssuedOffer, Order, OutreachEvent, WebhookDelivery
from kizuna.db.redemptions import redeem_codes, redeem_order
from tests.unit import campaign_rows as rows
from tests.unit.campaign_rows import NOW, day, postgres_url  # noqa: F401 (a fixture)
from turn_core.customer_import import import_files

BERLIN = ZoneInfo("Europe/Berlin")  # the shop's time zone (the shipped policy's quiet_hours_timezone)
CUSTOMERS = "customer_id,name,signed_up,email\nA1,Ada Byron,2025-01-05,ada@example.com\nB2,Bo Li,2025-03-01,bo@example.com\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(url: str, tmp_path: Path, orders: str, customers: str = CUSTOMERS):
    with session_scope(url) as session:
        return import_files(session, write(tmp_path, "customers.csv", customers), write(tmp_path, "orders.csv", orders),
                            now=NOW)


def redemption_rows(url: str) -> tuple[int, int]:
    with session_scope(url) as session:
        return (session.scalar(select(func.count()).select_from(OutreachEvent).where(OutreachEvent.kind == "redeem")),
                session.scalar(select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.event_type == "offer.redeemed")))


@pytest.fixture
def seeded(database_url, tmp_path):
    """A1 and B2 imported; a campaign contacted A1 (code KZ-AAAA2222, 14 days) and held B2 out; a webhook listens."""
    run_import(database_url, tmp_path, "order_id,customer_id,placed_at,total\nO-0,A1,2025-02-01,10\n")
    with session_scope(database_url) as session:
        ada, bo = (session.scalar(select(Customer).where(Customer.external_id == e)) for e in ("A1", "B2"))
        campaign = rows.campaign(session)
        rows.contact(session, campaign, ada, code="KZ-AAAA2222", at=day(-3))
        rows.contact(session, campaign, bo, arm="holdout", at=day(-3))
        rows.endpoint(session)
    return database_url


def contact_of(url: str, external_id: str) -> dict:
    with session_scope(url) as session:
        contact = session.scalar(select(CampaignContact).join(Customer, Customer.id == CampaignContact.customer_id)
                                 .where(Customer.external_id == external_id))
        order = session.get(Order, contact.redeemed_order_id) if contact.redeemed_order_id else None
        return {"redeemed_at": contact.redeemed_at, "order": order.order_number if order else None}


def test_an_imported_order_with_the_customers_code_redeems_it_once(seeded, tmp_path):
    orders = "order_id,customer_id,placed_at,total,code\nO-1,A1,2026-11-19T10:00:00,59.90,kz-aaaa2222\nO-2,B2,2026-11-19,20,\n"
    first = run_import(seeded, tmp_path, orders)
    assert first.codes_redeemed == 1
    redeemed = contact_of(seeded, "A1")
    assert redeemed["order"] == "O-1" and redeemed["redeemed_at"].replace(tzinfo=None) == day(-1).replace(hour=10, tzinfo=None)
    assert redemption_rows(seeded) == (1, 1)
    with session_scope(seeded) as session:
        assert session.scalar(select(Order.offer_code).where(Order.order_number == "O-1")) == "KZ-AAAA2222"
        payload = session.scalar(select(WebhookDelivery.payload))
        event = session.scalar(select(OutreachEvent))
        campaign_id = session.scalar(select(CampaignContact.campaign_id).where(CampaignContact.code == "KZ-AAAA2222"))
        assert event.detail == {"order_number": "O-1", "order_total": "59.90"}
    assert payload["type"] == "offer.redeemed"
    assert payload["data"] == {"source": "campaign", "customer_external_id": "A1", "offer_id": "discount_10",
                               "code": "KZ-AAAA2222", "order_number": "O-1", "order_total": "59.90", "currency": "EUR",
                               "placed_at": "2026-11-19T10:00:00+00:00", "kind": "discount",
                               "campaign": {"id": campaign_id, "name": "Win back silver"}}
    assert "Ada" not in str(payload) and "ada@" not in str(payload)  # customers by external id only

    again = run_import(seeded, tmp_path, orders)  # the same file again: nothing new
    assert again.codes_redeemed == 0 and redemption_rows(seeded) == (1, 1) and contact_of(seeded, "A1")["order"] == "O-1"


def test_another_customers_code_does_not_redeem(seeded, tmp_path):
    summary = run_import(seeded, tmp_path, "order_id,customer_id,placed_at,total,code\nO-1,B2,2026-11-19,30,KZ-AAAA2222\n")
    assert summary.codes_redeemed == 0
    assert contact_of(seeded, "A1") == {"redeemed_at": None, "order": None} and redemption_rows(seeded) == (0, 0)
    with session_scope(seeded) as session:
        order = session.scalar(select(Order).where(Order.order_number == "O-1"))
        assert order.offer_code == "KZ-AAAA2222"  # what the shop reported stays on the order
        assert redeem_order(session, order, NOW, BERLIN).outcome == "other_customer"


def berlin(when: datetime, hour: int, minute: int) -> datetime:
    """That day's hour:minute on the Berlin clock."""
    return datetime(when.year, when.month, when.day, hour, minute, tzinfo=BERLIN).astimezone(timezone.utc)


@pytest.mark.parametrize("placed, outcome", [
    (day(-3).replace(hour=12, minute=1), "redeemed"),       # a minute after the contact (12:00 UTC)
    (day(-3).replace(hour=11, minute=59), "not_valid_then"),  # the same day, but before the code was issued
    (berlin(day(11), 23, 59), "redeemed"),                  # the last valid day (contact day + 14), in Berlin
    (berlin(day(12), 0, 30), "not_valid_then"),             # 00:30 in Berlin, still day 11 in UTC: expired
    (day(-4), "not_valid_then"),                            # before it was issued
])
def test_a_code_redeems_only_while_it_is_valid(seeded, placed, outcome):
    with session_scope(seeded) as session:
        ada = session.scalar(select(Customer).where(Customer.external_id == "A1"))
        rows.order(session, ada, "O-7", placed, code="KZ-AAAA2222")
        assert [(c.order_number, c.outcome, c.source) for c in redeem_codes(session, ["O-7"], NOW, BERLIN)] == [("O-7", outcome, "campaign")]
    assert (contact_of(seeded, "A1")["order"] == "O-7") == (outcome == "redeemed")
    assert redemption_rows(seeded) == ((1, 1) if outcome == "redeemed" else (0, 0))


def test_a_code_redeems_on_one_order_only_and_unknown_codes_are_said_so(seeded):
    with session_scope(seeded) as session:
        ada = session.scalar(select(Customer).where(Customer.external_id == "A1"))
        rows.order(session, ada, "O-1", day(-2), code="KZ-AAAA2222")
        rows.order(session, ada, "O-2", day(-1), code="KZ-AAAA2222")
        rows.order(session, ada, "O-3", day(-1), code="SUMMER10")
        rows.order(session, ada, "O-4", day(-1))
        checks = redeem_codes(session, ["O-1", "O-2", "O-3", "O-4"], NOW, BERLIN)
        assert [(c.order_number, c.outcome) for c in checks] == [("O-1", "redeemed"), ("O-2", "used_on_another_order"),
                                                                 ("O-3", "unknown_code")]
        assert [c.outcome for c in redeem_codes(session, ["O-1", "O-2"], NOW, BERLIN)] == ["already_redeemed", "used_on_another_order"]
    assert contact_of(seeded, "A1")["order"] == "O-1" and redemption_rows(seeded) == (1, 1)


def test_a_chat_offers_code_redeems_for_its_customer_within_validity(seeded):
    with session_scope(seeded) as session:
        ada, bo = (session.scalar(select(Customer).where(Customer.external_id == e)) for e in ("A1", "B2"))
        rows.chat_offer(session, bo, "KZ-CHAT3333", accepted_at=day(-40), valid_days=30)
        rows.chat_offer(session, bo, "KZ-CHAT4444", accepted_at=day(-5), valid_days=30)
        rows.order(session, bo, "O-1", day(-1), code="KZ-CHAT3333")  # 40 days after: expired
        rows.order(session, ada, "O-2", day(-1), code="KZ-CHAT4444")  # Bo's code on Ada's order
        rows.order(session, bo, "O-3", day(-1), total="25.00", code="KZ-CHAT4444")
        checks = redeem_codes(session, ["O-1", "O-2", "O-3"], NOW, BERLIN)
        assert [(c.order_number, c.outcome, c.source) for c in checks] == [
            ("O-1", "not_valid_then", "chat"), ("O-2", "other_customer", "chat"), ("O-3", "redeemed", "chat")]
        offer = session.scalar(select(IssuedOffer).where(IssuedOffer.code == "KZ-CHAT4444"))
        assert offer.redeemed_order_id == session.scalar(select(Order.id).where(Order.order_number == "O-3"))
        assert session.scalar(select(IssuedOffer.redeemed_at).where(IssuedOffer.code == "KZ-CHAT3333")) is None
        data = session.scalar(select(WebhookDelivery.payload))["data"]
    assert data["source"] == "chat" and data["customer_external_id"] == "B2" and data["order_total"] == "25.00"
    assert data["conversation_id"] == "chat-KZ-CHAT4444"
    assert redemption_rows(seeded) == (0, 1)  # chat offers have no campaign contact, so no outreach event


def test_without_a_subscribed_endpoint_a_redemption_queues_no_delivery(sqlite_url):
    with session_scope(sqlite_url) as session:
        ada = rows.customer(session, "A1")
        rows.contact(session, rows.campaign(session), ada, code="KZ-BBBB2222", at=day(-1))
        rows.endpoint(session, events=("offer.issued",))
        rows.order(session, ada, "O-1", NOW, code="KZ-BBBB2222")
        assert [c.outcome for c in redeem_codes(session, ["O-1"], NOW, BERLIN)] == ["redeemed"]
    assert redemption_rows(sqlite_url) == (1, 0)


def consent(url: str) -> dict[str, tuple]:
    """Each customer's (marketing_opt_in, unsubscribed) by external id."""
    with session_scope(url) as session:
        return {c.external_id: (c.marketing_opt_in, c.unsubscribed_at is not None) for c in session.scalars(select(Customer))}


def test_an_import_sets_consent_only_when_its_column_is_there_and_never_clears_an_unsubscribe(sqlite_url, tmp_path):
    orders = "order_id,customer_id,placed_at,total\nO-1,A1,2025-02-01,10\n"
    with_consent = "customer_id,name,signed_up,marketing_opt_in\nA1,Ada,2025-01-05,yes\nB2,Bo,2025-03-01,0\n"
    run_import(sqlite_url, tmp_path, orders, with_consent)
    assert consent(sqlite_url) == {"A1": (True, False), "B2": (False, False)}
    with session_scope(sqlite_url) as session:
        session.scalar(select(Customer).where(Customer.external_id == "A1")).unsubscribed_at = NOW
    run_import(sqlite_url, tmp_path, orders, "customer_id,name,signed_up\nA1,Ada,2025-01-05\nB1,Bea,2025-03-01\n")
    assert consent(sqlite_url) == {"A1": (True, True), "B2": (False, False), "B1": (False, False)}  # no column: unchanged
    run_import(sqlite_url, tmp_path, orders, with_consent.replace("A1,Ada,2025-01-05,yes", "A1,Ada,2025-01-05,1"))
    assert consent(sqlite_url)["A1"] == (True, True)  # opted in again in the shop's data, but the unsubscribe stands


def test_a_missing_code_column_keeps_the_stored_code_and_a_blank_one_clears_it(sqlite_url, tmp_path):
    run_import(sqlite_url, tmp_path, "order_id,customer_id,placed_at,total,code\nO-1,A1,2025-02-01,10,SPRING5\n")
    run_import(sqlite_url, tmp_path, "order_id,customer_id,placed_at,total\nO-1,A1,2025-02-01,10\n")
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(Order.offer_code)) == "SPRING5"
    run_import(sqlite_url, tmp_path, "order_id,customer_id,placed_at,total,code\nO-1,A1,2025-02-01,10,\n")
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(Order.offer_code)) is None


@pytest.mark.parametrize("customers, orders, message", [
    ("customer_id,name,signed_up,marketing_opt_in\nA1,Ada,2025-01-05,maybe\n",
     "order_id,customer_id,placed_at,total\nO-1,A1,2025-02-01,10\n", "row 2, column 'marketing_opt_in': not a yes/no value"),
    (CUSTOMERS, "order_id,customer_id,placed_at,total,code\nO-1,A1,2025-02-01,10,KZ 12!\n",
     "row 2, column 'code': not an offer code"),
    (CUSTOMERS, "order_id,customer_id,placed_at,total,code\nO-1,A1,2025-02-01,10," + "K" * 21 + "\n",
     "row 2, column 'code': not an offer code"),
])
def test_bad_consent_or_code_values_name_the_row_and_import_nothing(sqlite_url, tmp_path, customers, orders, message):
    with pytest.raises(InputError, match=message):
        run_import(sqlite_url, tmp_path, orders, customers)
    with session_scope(sqlite_url) as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0


def test_an_order_placed_before_the_contact_does_not_redeem_its_code(seeded, tmp_path):
    orders = "order_id,customer_id,placed_at,total,code\nO-1,A1,2026-11-10,59.90,KZ-AAAA2222\n"  # a week before the contact
    assert run_import(seeded, tmp_path, orders).codes_redeemed == 0
    assert contact_of(seeded, "A1")["order"] is None


def test_two_orders_carrying_one_code_at_the_same_moment_redeem_it_once(postgres_url):  # noqa: F811
    with session_scope(postgres_url) as session:
        ada = rows.customer(session, "A1")
        rows.contact(session, rows.campaign(session), ada, code="KZ-CCCC2222", at=day(-1))
        rows.endpoint(session)
        rows.order(session, ada, "O-1", NOW, code="KZ-CCCC2222")
        rows.order(session, ada, "O-2", NOW, code="KZ-CCCC2222")
    engine = get_engine(postgres_url)
    with Session(engine) as first, Session(engine) as second:
        first_checks = redeem_codes(first, ["O-1"], NOW, BERLIN)  # claimed, not committed yet
        second_checks: list = []

        def redeem_second() -> None:
            second_checks.extend(redeem_codes(second, ["O-2"], NOW, BERLIN))  # waits for the first one's row lock
            second.commit()

        racer = threading.Thread(target=redeem_second)
        racer.start()
        time.sleep(0.5)
        first.commit()
        racer.join(timeout=30)
    assert [c.outcome for c in first_checks] == ["redeemed"]
    assert [c.outcome for c in second_checks] == ["used_on_another_order"]
    assert contact_of(postgres_url, "A1")["order"] == "O-1" and redemption_rows(postgres_url) == (1, 1)


def test_a_cancelled_order_redeems_nothing_and_gives_back_the_code_it_had_redeemed(seeded):
    with session_scope(seeded) as session:
        ada = session.scalar(select(Customer).where(Customer.external_id == "A1"))
        rows.order(session, ada, "O-1", day(-2), code="KZ-AAAA2222", status="cancelled")
        assert [c.outcome for c in redeem_codes(session, ["O-1"], NOW, BERLIN)] == ["not_a_purchase"]
        rows.order(session, ada, "O-2", day(-1), code="KZ-AAAA2222")
        assert [c.outcome for c in redeem_codes(session, ["O-2"], NOW, BERLIN)] == ["redeemed"]
        session.scalar(select(Order).where(Order.order_number == "O-2")).status = "returned"
        assert [c.outcome for c in redeem_codes(session, ["O-2"], NOW, BERLIN)] == ["released"]
    assert contact_of(seeded, "A1")["order"] is None and redemption_rows(seeded)[0] == 0
    with session_scope(seeded) as session:  # the customer may use the code again while it is valid
        ada = session.scalar(select(Customer).where(Customer.external_id == "A1"))
        rows.order(session, ada, "O-3", day(0), code="KZ-AAAA2222")
        assert [c.outcome for c in redeem_codes(session, ["O-3"], NOW, BERLIN)] == ["redeemed"]
