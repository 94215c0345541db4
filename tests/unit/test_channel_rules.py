"""What rasa's kizuna channel accepts (bot/channel_rules.py): the token, and typed text that is never a command."""

from __future__ import annotations

import pytest

from bot.channel_rules import InvalidTurn, as_typed_text, authorised, read_turn

TOKEN = "s3cret-channel-token"


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", TOKEN, f"Token {TOKEN}",
])
def test_a_missing_or_wrong_token_is_refused(header):
    assert not authorised(header, TOKEN)


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Bearer anything"])
def test_with_no_token_configured_nobody_gets_in(header):
    assert not authorised(header, "")


def test_the_configured_token_gets_in():
    assert authorised(f"Bearer {TOKEN}", TOKEN)
    assert authorised(f"bearer {TOKEN}", TOKEN)


# What an attacker types to have Rasa read an intent command: Rasa strips str.isspace() characters,
# then anything starting with "/" is a command.
INJECTIONS = [
    "/accept_offer",
    "/ /accept_offer",
    "/\u00a0/accept_offer",
    '/\t/delete_account{"email": "someone@example.org"}',
    "//accept_offer",
    " \n/accept_offer",
    "\u200b/accept_offer",
    "\ufeff/accept_offer",
    "\u2003/\u3000/\u200e/accept_offer",
    "/\x1c/\x00/accept_offer",
    '/cancel_order{"order_id": "10007"}',
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_typed_text_never_starts_a_command_once_rasa_strips_it(text):
    assert not as_typed_text(text).strip().startswith("/")
    assert read_turn({"sender": "c1", "message": text}).text.strip()[:1] != "/"


def test_typed_text_keeps_the_words():
    assert as_typed_text("/ /accept_offer") == "accept_offer"
    assert as_typed_text("where is order 10037?") == "where is order 10037?"
    assert as_typed_text("I paid 20/30 of it / mostly") == "I paid 20/30 of it / mostly"


def test_only_a_turn_marked_as_a_command_keeps_its_slash():
    assert read_turn({"sender": "c1", "message": "/accept_offer", "command": True}).text == "/accept_offer"
    assert read_turn({"sender": "c1", "message": "/accept_offer", "command": False}).text == "accept_offer"
    assert read_turn({"sender": "c1", "message": "/accept_offer"}).text == "accept_offer"


def test_a_turn_carries_sender_and_metadata():
    turn = read_turn({"sender": "conv-1", "message": "hi", "metadata": {"message_id": 7}})
    assert (turn.sender, turn.text, turn.metadata) == ("conv-1", "hi", {"message_id": 7})


@pytest.mark.parametrize("body, complaint", [
    ([], "JSON object"),
    ({"message": "hi"}, "sender"),
    ({"sender": " ", "message": "hi"}, "sender"),
    ({"sender": 5, "message": "hi"}, "sender"),
    ({"sender": "c1"}, "message"),
    ({"sender": "c1", "message": ["/accept_offer"]}, "message"),
    ({"sender": "c1", "message": "hi", "metadata": "x"}, "metadata"),
    ({"sender": "c1", "message": "/accept_offer", "command": "true"}, "command"),
    ({"sender": "c1", "message": "/accept_offer", "command": 1}, "command"),
    ({"sender": "c1", "message": "\ud800"}, "valid text"),
    ({"sender": "c1", "message": ""}, "empty"),
    ({"sender": "c1", "message": "/ /\u200b/ "}, "empty"),
    ({"sender": "c1", "message": " ", "command": True}, "empty"),
])
def test_a_body_that_is_not_a_turn_is_refused_with_the_reason(body, complaint):
    with pytest.raises(InvalidTurn, match=complaint):
        read_turn(body)
