"""A stored e-mail address is used only when it is exactly one plain name@domain: a list, a group or a display
name would have campaign e-mail go to every address in it."""

from __future__ import annotations

import pytest

from kizuna.db.marketing_consent import consent_problem_of
from kizuna.email_address import MAX_LENGTH, address_problem, is_plain_address

SEVERAL_RECIPIENTS = [
    "ben@example.com, victim@evil.example",
    "ben@example.com,victim@evil.example",
    "ben@example.com;victim@evil.example",
    "Ben <ben@x>, <victim2@evil>",
    "group: a@b, c@evil;",
    "group:a@b,c@evil;",
    "ben@example.com<victim@evil.example>",
    "ben@example.com\nBcc: victim@evil.example",
]


@pytest.mark.parametrize("value", ["ben@example.com", "wen.li+shop@example.test", "a@b", "ü@exämple.de",
                                   "b" * (MAX_LENGTH - 10) + "@x.example"])
def test_one_plain_address_is_accepted(value):
    assert address_problem(value) is None and is_plain_address(value)


@pytest.mark.parametrize("value", SEVERAL_RECIPIENTS)
def test_an_address_that_names_several_recipients_is_refused(value):
    assert not is_plain_address(value)


@pytest.mark.parametrize("value, problem", [
    ("", "there is no address"),
    ("<ben@example.com>", "a list, a group or carries a display name"),
    ("Ben <ben@example.com>", "a space or a control character"),
    ("Ben<ben@example.com>", "a list, a group or carries a display name"),
    ("ben@example.com (Ben)", "a space or a control character"),
    ("ben(Ben)@example.com", "a list, a group or carries a display name"),
    ('"victim@evil.example"@example.com', "not one name@domain"),
    ("ben@exa@mple.com", "not one name@domain"),
    ("ben.example.com", "not one name@domain"),
    ("@example.com", "not one name@domain"),
    ("ben@", "not one name@domain"),
    (" ben@example.com", "a space or a control character"),
    ("ben@example.com\t", "a space or a control character"),
    ("ben@exam\x00ple.com", "a space or a control character"),
    ("ben@example.com\r", "a space or a control character"),
    ("ben@example.com\u200b", "a space or a control character"),
    ("ben@example.com\u202e", "a space or a control character"),
    ("ben@example.com\u00a0", "a space or a control character"),
    ("b" * (MAX_LENGTH - 9) + "@x.example", f"longer than {MAX_LENGTH} characters"),
])
def test_the_problem_is_named(value, problem):
    assert problem in address_problem(value)


@pytest.mark.parametrize("value", SEVERAL_RECIPIENTS)
def test_a_customer_whose_address_names_several_recipients_is_not_mailed(value):
    assert consent_problem_of(opt_in=True, unsubscribed=False, email=value) == "no usable e-mail address (not one plain address)"


def test_a_plain_address_with_spaces_around_it_may_be_mailed():
    assert consent_problem_of(opt_in=True, unsubscribed=False, email=" ben@example.com ") is None
