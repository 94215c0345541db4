"""Campaign e-mail rendering: personalised, the HTML escaped, the plain text readable, the footer's
unsubscribe link in both parts, and the templates compiled once."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest

from kizuna.db.models import CampaignContact, Customer
from kizuna.settings import Settings
from outreach import email_render
from outreach.campaign_email import expiry_text, first_name, queue_offer_email, sender_domain
from outreach.email_render import render_offer_email
from outreach.signed_links import CLICK, OPEN, UNSUBSCRIBE, verify
from retention.catalog import Offer

TEMPLATES = Settings().campaign_templates_dir
CONTEXT = dict(first_name="Wen", shop_name="Kizuna Store", offer_text="10 % off your next order.", code="KZ-AB12CD34",
               expiry="Friday, 8 January 2027", click_url="https://shop.example/c/1.sig",
               open_url="https://shop.example/o/1.sig.gif", unsubscribe_url="https://shop.example/unsubscribe/2-1.sig")


def test_the_email_carries_the_name_offer_code_expiry_and_unsubscribe_link():
    rendered = render_offer_email(TEMPLATES, **CONTEXT)

    assert rendered.subject == "Wen, a little something from Kizuna Store"
    for part in (rendered.text, rendered.html):
        for value in ("Wen", "10 % off your next order.", "KZ-AB12CD34", "Friday, 8 January 2027",
                      CONTEXT["click_url"], CONTEXT["unsubscribe_url"]):
            assert value in part
    assert f'<img src="{CONTEXT["open_url"]}"' in rendered.html and CONTEXT["open_url"] not in rendered.text
    assert "<p" not in rendered.text


def test_markup_in_a_name_or_offer_is_escaped_in_html_and_left_as_text_in_the_plain_part():
    hostile = {**CONTEXT, "first_name": '<script>alert(1)</script>', "offer_text": 'Save "big" & <b>now</b>'}

    rendered = render_offer_email(TEMPLATES, **hostile)

    assert "<script>" not in rendered.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "Save &#34;big&#34; &amp; &lt;b&gt;now&lt;/b&gt;" in rendered.html
    assert "Hello <script>alert(1)</script>," in rendered.text  # plain text: shown as typed, never interpreted
    assert "Save \"big\" & <b>now</b>" in rendered.text


def test_a_subject_stays_on_one_line_whatever_the_name_holds():
    rendered = render_offer_email(TEMPLATES, **{**CONTEXT, "first_name": "Wen\r\nBcc: victim@example.test"})

    assert "\n" not in rendered.subject and "\r" not in rendered.subject
    assert rendered.subject.startswith("Wen Bcc: victim@example.test")


def test_an_offer_without_a_code_leaves_the_code_lines_out():
    rendered = render_offer_email(TEMPLATES, **{**CONTEXT, "code": None, "expiry": ""})

    assert "Your code" not in rendered.text and "Your code" not in rendered.html
    assert "Valid until" not in rendered.text


def test_a_missing_value_is_an_error_not_an_empty_gap():
    incomplete = {key: value for key, value in CONTEXT.items() if key != "unsubscribe_url"}

    with pytest.raises(jinja2.UndefinedError):
        render_offer_email(TEMPLATES, **incomplete)


def test_templates_are_compiled_once_per_directory(monkeypatch):
    render_offer_email(TEMPLATES, **CONTEXT)
    compiled = email_render._compiled(Path(TEMPLATES))
    monkeypatch.setattr(jinja2.FileSystemLoader, "get_source", lambda *_: pytest.fail("a template was read again"))

    for _ in range(50):
        render_offer_email(TEMPLATES, **CONTEXT)

    assert email_render._compiled(Path(TEMPLATES)) is compiled


def test_other_templates_in_another_directory_are_used(tmp_path: Path):
    for name, body in (("offer_email.subject.j2", "Hi {{ first_name }}"), ("offer_email.txt.j2", "{{ code }}"),
                       ("offer_email.html.j2", "<p>{{ code }}</p>")):
        (tmp_path / name).write_text(body)

    rendered = render_offer_email(tmp_path, **CONTEXT)

    assert (rendered.subject, rendered.text, rendered.html) == ("Hi Wen", "KZ-AB12CD34", "<p>KZ-AB12CD34</p>")


def test_queueing_renders_the_customers_email_with_links_signed_for_their_purpose(tmp_path: Path):
    settings = Settings(var_dir=tmp_path, link_secret="s3cret", public_url="https://kizuna.example/",
                        mail_from="Kizuna Store <hello@kizuna.example>")
    customer = Customer(id=7, external_id="C-7", name="  Wen   Li ", email="wen@example.test", marketing_opt_in=True)
    contact = CampaignContact(id=3, customer_id=7, code="KZ-AB12CD34", valid_until=date(2027, 1, 8))
    offer = Offer(id="freeship", text="Free shipping with {code}.", kind="free_shipping", cost=4.5, uplift=0.05, valid_days=60)
    added = []
    session = type("RecordingSession", (), {"add": lambda self, row: added.append(row)})()
    moment = datetime(2026, 12, 7, 20, tzinfo=timezone.utc)

    queued = queue_offer_email(session, settings, contact, customer, offer, not_before=moment)

    assert added == [queued]
    assert (queued.status, queued.attempts, queued.next_attempt_at, queued.to_address) == ("queued", 0, moment, "wen@example.test")
    assert queued.subject.startswith("Wen,") and "Free shipping with KZ-AB12CD34." in queued.text_body
    assert queued.message_id.endswith("@kizuna.example>")
    link = queued.headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://kizuna.example/unsubscribe/")
    assert verify("s3cret", UNSUBSCRIBE, link.rsplit("/", 1)[1]) == (7, 3)
    assert queued.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    click = queued.html_body.split("https://kizuna.example/c/", 1)[1].split('"', 1)[0]
    opened = queued.html_body.split("https://kizuna.example/o/", 1)[1].split(".gif", 1)[0]
    assert verify("s3cret", CLICK, click) == (3,) and verify("s3cret", OPEN, opened) == (3,)


def test_queueing_refuses_a_customer_without_an_address(tmp_path: Path):
    customer = Customer(id=7, external_id="C-7", name="Wen", email=None)
    with pytest.raises(ValueError, match="C-7"):
        queue_offer_email(object(), Settings(var_dir=tmp_path, link_secret="s"), CampaignContact(id=1), customer,
                          Offer(id="x", text="t", kind="discount", cost=1, uplift=0.1, valid_days=1),
                          not_before=datetime.now(timezone.utc))


def test_small_helpers():
    assert first_name("Wen Li") == "Wen" and first_name("") == "there" and first_name(None) == "there"
    assert expiry_text(date(2027, 1, 8)) == "Friday, 8 January 2027" and expiry_text(None) == ""
    assert sender_domain("Shop <hello@shop.example>") == "shop.example" and sender_domain("nonsense") == "localhost"


def test_the_send_time_is_stored_in_utc(tmp_path: Path):
    berlin_morning = datetime(2026, 12, 8, 8, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    customer = Customer(id=7, external_id="C-7", name="Wen", email="wen@example.test")
    session = type("RecordingSession", (), {"add": lambda self, row: None})()

    queued = queue_offer_email(session, Settings(var_dir=tmp_path, link_secret="s"), CampaignContact(id=1), customer,
                               Offer(id="x", text="t", kind="discount", cost=1, uplift=0.1, valid_days=1),
                               not_before=berlin_morning)

    assert queued.next_attempt_at == datetime(2026, 12, 8, 7, 0, tzinfo=timezone.utc)
    assert queued.next_attempt_at.tzinfo == timezone.utc
