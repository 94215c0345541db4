"""How a synthetic customer behaves over time, driven by a hidden churn propensity.

Each customer gets hidden traits: how often they buy, how much, how much they like discounts
and new products, and a churn propensity. The propensity sets when the customer goes dormant;
in the months before that, orders thin out (intervals lengthen), site visits drop, newsletters
stay unopened and support contacts turn sour. After it, the customer almost never returns.
Nothing here is real; it only has to be realistic enough to train and evaluate on.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

SLIP_DAYS = 120  # how long before going dormant the behaviour starts to fade
EVENT_HISTORY_DAYS = 420  # engagement events are generated for this many days before today


@dataclass(frozen=True)
class HiddenTraits:
    signup: date
    churn_propensity: float
    dormant_from: date
    orders_per_day: float
    basket_mean: float
    discount_affinity: float
    novelty_affinity: float
    newsletter: bool
    open_rate: float


@dataclass(frozen=True)
class SimulatedOrder:
    placed: date
    total: float
    on_discount: bool
    new_product: bool


@dataclass(frozen=True)
class SimulatedContact:
    day: date
    sentiment: float
    escalated: bool


def draw_traits(rng: random.Random, today: date) -> HiddenTraits:
    signup = today - timedelta(days=rng.randint(60, 900))
    discount = rng.betavariate(1.2, 3.0)
    propensity = min(1.0, rng.betavariate(2.0, 3.5) + 0.25 * discount)
    dormant_after = rng.expovariate(propensity / 220.0)
    return HiddenTraits(
        signup=signup,
        churn_propensity=propensity,
        dormant_from=signup + timedelta(days=int(min(dormant_after, 5000))),
        orders_per_day=rng.gammavariate(2.0, 1 / 110),
        basket_mean=rng.gammavariate(4.0, 15.0),
        discount_affinity=discount,
        novelty_affinity=rng.betavariate(1.2, 4.0),
        newsletter=rng.random() < 0.85,
        open_rate=rng.betavariate(4.0, 3.0),
    )


def activity(traits: HiddenTraits, day: date) -> float:
    """1.0 while engaged, fading to 0.15 over the slip period, then 0.02 once dormant."""
    days_left = (traits.dormant_from - day).days
    if days_left <= 0:
        return 0.02
    if days_left >= SLIP_DAYS:
        return 1.0
    return 0.15 + 0.85 * days_left / SLIP_DAYS


def simulate_orders(rng: random.Random, traits: HiddenTraits, today: date) -> list[SimulatedOrder]:
    orders = [_order_on(rng, traits, traits.signup + timedelta(days=rng.randint(0, 3)))]
    day = orders[0].placed
    while True:
        rate = traits.orders_per_day * activity(traits, day)
        day += timedelta(days=max(1, int(rng.expovariate(rate))))
        if day > today:
            return [o for o in orders if o.placed <= today]
        orders.append(_order_on(rng, traits, day))


def _order_on(rng: random.Random, traits: HiddenTraits, day: date) -> SimulatedOrder:
    return SimulatedOrder(
        placed=day,
        total=round(max(5.0, rng.gammavariate(6.0, traits.basket_mean / 6.0)), 2),
        on_discount=rng.random() < traits.discount_affinity,
        new_product=rng.random() < traits.novelty_affinity,
    )


def simulate_weekly_events(rng: random.Random, traits: HiddenTraits, today: date) -> list[tuple[str, date, int]]:
    """(kind, week start, count) rows with a count above zero."""
    start = max(traits.signup, today - timedelta(days=EVENT_HISTORY_DAYS))
    visits_per_week = 7 * (traits.orders_per_day * 5 + 0.05)
    rows: list[tuple[str, date, int]] = []
    week = start
    while week <= today:
        engaged = activity(traits, week)
        visits = _poisson(rng, visits_per_week * engaged)
        logins = _poisson(rng, visits * 0.4)
        rows += [("visit", week, visits), ("login", week, logins)]
        if traits.newsletter:
            opened = int(rng.random() < traits.open_rate * (0.2 + 0.8 * engaged))
            rows += [("email_sent", week, 1), ("email_opened", week, opened)]
        week += timedelta(days=7)
    return [row for row in rows if row[2] > 0]


def simulate_support_contacts(rng: random.Random, traits: HiddenTraits, orders: list[SimulatedOrder], today: date) -> list[SimulatedContact]:
    contacts = []
    for order in orders:
        engaged = activity(traits, order.placed)
        if rng.random() < 0.06 + 0.3 * (1 - engaged):
            day = min(today, order.placed + timedelta(days=rng.randint(1, 10)))
            sentiment = max(-1.0, min(1.0, rng.gauss(0.25 - 0.8 * (1 - engaged), 0.3)))
            contacts.append(SimulatedContact(day, round(sentiment, 3), sentiment < -0.5 and rng.random() < 0.5))
    return contacts


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the means here are small."""
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
