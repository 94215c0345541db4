from datetime import date

import pytest
from sqlalchemy import func, select

from kizuna.db import conversations as store
from kizuna.db.engine import session_scope
from kizuna.db.models import Message, Order, TurnAnalysis
from kizuna.db.shop_repository import ShopRepository, normalise_order_number
from kizuna.db.turns import Turn, record_turn
from operations.demo import seed_demo_shop

TODAY = date(2026, 11, 20)


def _orders_snapshot(url: str) -> list[tuple]:
    with session_scope(url) as session:
        rows = session.execute(select(Order.order_number, Order.status, Order.total, Order.placed_at).order_by(Order.id))
        return [tuple(r) for r in rows]


def test_demo_seed_is_deterministic(tmp_path):
    from kizuna.db.migrate import upgrade

    urls = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.db"
        upgrade(url)
        with session_scope(url) as session:
            seed_demo_shop(session, customers=20, seed=3, today=TODAY)
        urls.append(url)
    assert _orders_snapshot(urls[0]) == _orders_snapshot(urls[1])
    assert len(_orders_snapshot(urls[0])) >= 20


def test_demo_seed_refuses_a_database_with_customers(database_url):
    with session_scope(database_url) as session:
        seed_demo_shop(session, customers=3, today=TODAY)
    with pytest.raises(ValueError, match="empty database"):
        with session_scope(database_url) as session:
            seed_demo_shop(session, customers=3, today=TODAY)


@pytest.mark.parametrize(
    "raw, expected",
    [("10023", "10023"), ("ORD-10023", "10023"), ("#10023", "10023"), ("order 10023 please", "10023"), ("no number", None), (None, None)],
)
def test_order_numbers_are_normalised(raw, expected):
    assert normalise_order_number(raw) == expected


def test_inbound_messages_are_stored_once(database_url):
    with session_scope(database_url) as session:
        first = store.store_inbound(session, "conv-1", "hello", "m-1", None)
    with session_scope(database_url) as session:
        again = store.store_inbound(session, "conv-1", "hello", "m-1", None)
        count = session.scalar(select(func.count()).select_from(Message))
    assert not first.duplicate and again.duplicate
    assert again.message.id == first.message.id and count == 1


def test_unknown_customer_is_refused_and_nothing_is_stored(database_url):
    with pytest.raises(store.UnknownCustomer):
        with session_scope(database_url) as session:
            store.store_inbound(session, "conv-2", "hello", "m-1", "NOPE")
    with session_scope(database_url) as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 0


def test_turns_are_recorded_once_and_linked(database_url):
    with session_scope(database_url) as session:
        stored = store.store_inbound(session, "conv-3", "where is 10001", "m-1", None)
        message_id = stored.message.id
    turn = Turn("conv-3", f"msg:{message_id}", "where is 10001", "track_order", 0.93, [{"entity": "order_id", "value": "10001"}], message_id)
    for _ in range(2):
        with session_scope(database_url) as session:
            record_turn(session, turn)
    with session_scope(database_url) as session:
        rows = session.scalars(select(TurnAnalysis)).all()
        assert len(rows) == 1
        assert rows[0].message_id == message_id and rows[0].intent == "track_order"
        assert rows[0].entities[0]["value"] == "10001"


def test_repository_finds_orders_refunds_and_invoices(database_url):
    with session_scope(database_url) as session:
        seed_demo_shop(session, customers=40, today=TODAY)
    with session_scope(database_url) as session:
        repository = ShopRepository(session)
        returned = session.scalars(select(Order).where(Order.status == "returned")).first()
        assert returned is not None
        assert repository.find_order(returned.order_number).id == returned.id
        assert repository.latest_refund(returned) is not None
        assert repository.latest_invoice(returned).invoice_number == f"INV-{returned.order_number}"
        assert repository.find_order("99999999") is None
