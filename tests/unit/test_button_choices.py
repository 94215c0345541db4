"""Only a button the bot offered reaches Rasa as a command; typed text never does."""

from __future__ import annotations

import pytest

from console.button_choices import BotInput, ChoiceNotOffered, bot_input, chosen_text

OFFERED = [{"title": "Yes, apply the discount", "payload": "/accept_offer"}, {"title": "No thanks", "payload": "/decline_offer"}]


def test_an_offered_button_is_stored_as_the_title_the_bot_showed():
    assert chosen_text("/accept_offer", "whatever the client sent", OFFERED, resend=False) == "Yes, apply the discount"


def test_a_button_the_bot_did_not_offer_is_refused():
    with pytest.raises(ChoiceNotOffered):
        chosen_text("/request_refund", "Refund me", OFFERED, resend=False)
    with pytest.raises(ChoiceNotOffered):
        chosen_text("/accept_offer", "Yes", [], resend=False)


def test_a_resend_is_let_through_after_the_bot_moved_on():
    assert chosen_text("/accept_offer", "Yes", [], resend=True) == "Yes"


def test_a_button_without_a_title_keeps_the_text_the_client_sent():
    assert chosen_text("/affirm", "Yes", [{"payload": "/affirm"}], resend=False) == "Yes"


def test_a_pressed_button_reaches_the_bot_as_a_command():
    assert bot_input("Yes, apply the discount", "/accept_offer") == BotInput("/accept_offer", is_command=True)


@pytest.mark.parametrize("typed, sent", [
    ("/greet", "greet"),
    ('/inform{"email": "x@example.com"}', 'inform{"email": "x@example.com"}'),
    (" / /stop", "stop"),
    ("\u200b/restart", "restart"),
    ("where is my order?", "where is my order?"),
])
def test_typed_text_never_reaches_the_bot_as_a_command(typed, sent):
    assert bot_input(typed, None) == BotInput(sent, is_command=False)


def test_typed_text_that_was_only_a_slash_still_reaches_the_bot_as_text():
    assert bot_input("/", None) == BotInput("?", is_command=False)
