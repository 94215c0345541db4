"""What `kizuna run` starts for outreach without an SMTP host: the mail catcher and the worker pointed at it,
as real processes; a queued campaign e-mail ends up as an .eml file in var/mail."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from email import message_from_bytes, policy
from pathlib import Path

from kizuna.db.engine import session_scope
from kizuna.db.migrate import upgrade
from kizuna.db.models import Campaign, CampaignContact, Customer, OutboundEmail
from kizuna.settings import Settings
from operations.stack import outreach_processes
from outreach.campaign_email import queue_offer_email
from retention.catalog import Offer
from tests.integration.test_campaign_email import data_without_quiet_hours

OFFER = Offer(id="save10", text="10 % off your next order.", kind="discount", cost=6, uplift=0.08, valid_days=30)


def queue_one(settings: Settings) -> None:
    with session_scope(settings.effective_database_url) as session:
        customer = Customer(external_id="C-1", name="Wen Li", email="wen@example.test", marketing_opt_in=True)
        campaign = Campaign(name="win-back", rule={"min_orders": 1}, created_by="admin", status="active")
        session.add_all([customer, campaign])
        session.flush()
        contact = CampaignContact(campaign_id=campaign.id, customer_id=customer.id, contact_day=date(2026, 12, 7),
                                  arm="treatment", channel="email", status="queued", offer_id=OFFER.id, offer_kind=OFFER.kind,
                                  cost=OFFER.cost, expected_gain=3, tier="silver", segment="steady", code="KZ-PROCESS1",
                                  valid_until=date(2027, 1, 8))
        session.add(contact)
        queue_offer_email(session, settings, contact, customer, OFFER, not_before=datetime.now(timezone.utc))


def test_without_an_smtp_host_the_worker_mails_to_the_local_catcher(tmp_path: Path, monkeypatch):
    data_dir = data_without_quiet_hours(tmp_path)  # the worker sends at the real time of day
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(data_dir))
    settings = Settings(var_dir=tmp_path / "var", database_url=f"sqlite:///{tmp_path / 'kizuna.db'}", link_secret="s",
                        smtp_host="", data_dir=data_dir)
    upgrade(settings.effective_database_url)
    queue_one(settings)
    processes = outreach_processes(settings, tmp_path / "logs")
    assert [process.name for process in processes] == ["mailcatcher", "worker"]
    mail_dir = settings.var_dir / "mail"
    try:
        for process in processes:
            process.start()
        deadline = time.monotonic() + 60
        while not list(mail_dir.glob("*.eml")) and time.monotonic() < deadline:
            assert all(process.running() for process in processes), (tmp_path / "logs").glob("*.log")
            time.sleep(0.3)
    finally:
        for process in reversed(processes):
            process.stop()

    [saved] = mail_dir.glob("*.eml")
    message = message_from_bytes(saved.read_bytes(), policy=policy.default)
    assert message["To"] == "wen@example.test" and "KZ-PROCESS1" in message.get_body(("plain",)).get_content()
    with session_scope(settings.effective_database_url) as session:
        assert session.query(OutboundEmail).one().status == "sent"


def test_with_an_smtp_host_only_the_worker_starts(tmp_path: Path):
    settings = Settings(var_dir=tmp_path / "var", smtp_host="mail.example.test")

    assert [process.name for process in outreach_processes(settings, tmp_path)] == ["worker"]
