"""Realistic, varied customer conversations for the load test, drawn from a fixed seed.

A conversation is a greeting, then short episodes (one to three turns: an order look-up with a
number from the seeded shop, a refund, an invoice, a complaint, small talk, thanks...), cut to the
number of turns asked for. The same seed and the same shop give the same conversations.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Optional

GREETINGS = ["hi", "hello", "hey there", "good morning", "hi, quick question", "Hello!"]
ORDER_STATUS = ["where is my order {n}?", "can you track order #{n}", "has {n} shipped yet?",
                "what's the status of order {n}", "wher is my oder {n}??", "any news on ORD-{n}?"]
ASK_THEN_NUMBER = [("where is my order?", "{n}"), ("I'm still waiting for my parcel", "it's order {n}"),
                   ("I need my invoice", "{n}"), ("what about my refund?", "order {n}")]
REFUNDS = ["what's the status of my refund for order {n}", "I returned order {n}, when do I get my money back?",
           "can I get a refund?", "how long do refunds take?", "I want my money back for {n}"]
INVOICES = ["I need the invoice for {n}", "can you send me the invoice for order {n}?",
            "where can I download my invoice?", "the invoice for {n} has the wrong address"]
COMPLAINTS = ["this is the second late delivery, I am fed up", "the package arrived damaged and nobody answers my emails",
              "your service is terrible", "I want to make a complaint", "I've been waiting two weeks, this is ridiculous",
              "I want to delete my account, I'm fed up"]
QUESTIONS = ["which payment methods do you accept?", "how long does delivery take?", "how do I reset my password?",
             "do you ship abroad?", "can I change my shipping address?", "is there a cancellation fee?",
             "how do I unsubscribe from the newsletter?"]
SMALL_TALK = ["are you a bot?", "how are you today?", "lol ok", "what's the weather like?", "hmm", "nice", "ok"]
THANKS = ["thanks!", "thank you, that helps", "great, cheers", "thanks a lot", "perfect, thank you"]
GOODBYES = ["bye", "that's all, bye", "have a nice day"]
CANCEL_ANSWERS = ["no, keep it", "no", "yes please"]


@dataclass(frozen=True)
class Shopper:
    """Who is chatting: a signed-in demo customer (with their orders) or an anonymous visitor."""

    customer_id: Optional[str]
    orders: list[str]


Episode = Callable[[random.Random, Callable[[], str]], list[str]]


def _one(templates: list[str]) -> Episode:
    return lambda rng, number: [rng.choice(templates).format(n=number())]


def _ask_then_number(rng: random.Random, number: Callable[[], str]) -> list[str]:
    first, second = rng.choice(ASK_THEN_NUMBER)
    n = number()
    return [first.format(n=n), second.format(n=n)]


def _cancel(rng: random.Random, number: Callable[[], str]) -> list[str]:
    return [f"I'd like to cancel order {number()}", rng.choice(CANCEL_ANSWERS)]


EPISODES: list[tuple[Episode, int]] = [  # (episode, weight)
    (_one(ORDER_STATUS), 5), (_ask_then_number, 3), (_one(REFUNDS), 3), (_one(INVOICES), 3), (_cancel, 1),
    (_one(COMPLAINTS), 2), (_one(QUESTIONS), 3), (_one(SMALL_TALK), 2), (_one(THANKS), 2),
]


def conversation_texts(rng: random.Random, shopper: Shopper, all_orders: list[str], turns: int) -> list[str]:
    """`turns` customer messages: a greeting, episodes, and thanks or goodbye at the end when there is room."""
    def number() -> str:
        if rng.random() < 0.05:
            return str(rng.randint(90000, 99999))  # a mistyped number the shop does not know
        return rng.choice(shopper.orders or all_orders)

    texts = [rng.choice(GREETINGS)] if rng.random() < 0.8 else []
    episodes, weights = zip(*EPISODES)
    while len(texts) < turns - 1:
        texts += rng.choices(episodes, weights)[0](rng, number)
    texts = texts[: turns - 1]
    if turns > 0:
        texts.append(rng.choice(THANKS + GOODBYES))
    return texts[:turns]


def shoppers(customers: dict[str, list[str]], count: int, rng: random.Random) -> list[Shopper]:
    """Every other conversation is a signed-in customer who has orders; the rest are anonymous."""
    with_orders = sorted(c for c, orders in customers.items() if orders)
    picked = rng.sample(with_orders, min(len(with_orders), (count + 1) // 2))
    signed_in = [Shopper(c, sorted(customers[c])) for c in picked]
    return [signed_in[i // 2] if i % 2 == 0 and i // 2 < len(signed_in) else Shopper(None, []) for i in range(count)]
