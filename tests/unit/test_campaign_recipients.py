"""A customer whose stored address names several recipients (a list, a group, a display name) gets no campaign
e-mail: the run skips them for consent like a customer without an address, and queueing refuses them."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from kizuna.db.models import CampaignContact, Customer, OutboundEmail
from outreach.campaign_email import queue_offer_email
from outreach.mail_delivery import deliver_due
from retention.catalog import Offer
from retraining.rasa_env import free_port
from tests.integration.test_mail_recipients import Recipients
from tests.unit.test_campaign_runs import NOW, campaign, rows, run, sessions, settings, shopper  # noqa: F401 (fixtures)

SEVERAL = ["x1@example.test, victim@evil.example", "Ben <x2@example.test>, <victim2@evil.example>",
           "group: x3@example.test, c@evil.example;", "x4@example.test,victim@evil.example"]
OFFER = Offer(id="save10", text="10 % off", kind="discount", cost=6.0, uplift=0.08, valid_days=30)


def test_a_run_mails_only_the_customer_with_one_plain_address(sessions, settings):
    with sessions.begin() as session:
        shopper(session, "PLAIN")
        for number, address in enumerate(SEVERAL):
            shopper(session, f"SEVERAL-{number}", email=address)
    summary = run(sessions, settings, campaign(sessions, holdout_share=0.0))

    assert summary["treatment"] == 1 and summary["skipped"] == {"no_consent": len(SEVERAL)}
    assert [email.to_address for email in rows(sessions, OutboundEmail)] == ["plain@example.test"]


def queue(sessions, settings, address: str) -> str:
    """Queue the offer e-mail of a new customer with this stored address; the queued e-mail's address."""
    campaign_id = campaign(sessions)
    with sessions.begin() as session:
        customer = shopper(session, "C1", email=address)
        contact = CampaignContact(campaign_id=campaign_id, customer_id=customer.id, contact_day=NOW.date(), arm="treatment",
                                  channel="email", status="queued", offer_id=OFFER.id, offer_kind=OFFER.kind,
                                  cost=OFFER.cost, expected_gain=10.0, tier="silver", segment="steady", code="KZ-00000001")
        session.add(contact)
        return queue_offer_email(session, settings, contact, customer, OFFER, not_before=NOW).to_address


@pytest.mark.parametrize("address", SEVERAL)
def test_queueing_refuses_an_address_that_names_several_recipients(sessions, settings, address):
    with pytest.raises(ValueError, match="not one plain e-mail address"):
        queue(sessions, settings, address)
    assert rows(sessions, OutboundEmail) == [] and rows(sessions, Customer) == []


def test_queueing_uses_the_address_without_spaces_around_it(sessions, settings):
    assert queue(sessions, settings, "  wen@example.test ") == "wen@example.test"


@pytest.fixture
def smtp():
    recipients, port = Recipients(), free_port()
    controller = Controller(recipients, hostname="127.0.0.1", port=port)
    controller.start()
    yield recipients, port
    controller.stop()


@pytest.mark.parametrize("customer_too", [True, False])
def test_an_email_queued_for_several_recipients_before_the_check_is_never_sent(sessions, settings, smtp, customer_too):
    recipients, port = smtp
    queue(sessions, settings, "wen@example.test")
    with sessions.begin() as session:  # as an e-mail queued before addresses were checked would be
        session.execute(update(OutboundEmail).values(to_address=SEVERAL[0]))
        if customer_too:
            session.execute(update(Customer).values(email=SEVERAL[0]))

    outcome = deliver_due(sessions, settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port}), now=NOW)

    assert outcome["cancelled" if customer_too else "parked"] == 1 and recipients.received == []
    [email] = rows(sessions, OutboundEmail)
    assert "not one plain address" in email.last_error if customer_too else "not one plain e-mail address" in email.last_error
