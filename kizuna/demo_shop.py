"""Telling the seeded demo shop from real data: its customers carry the seeder's names and addresses
(`kizuna demo seed` makes them; the demo pages may show them)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from kizuna.db.models import Customer

FIRST_NAMES = [
    "Anna", "Ben", "Chloe", "David", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kira", "Liam",
    "Maya", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wen", "Yuki", "Zoe",
]
LAST_NAMES = [
    "Schmidt", "Novak", "Garcia", "Okafor", "Rossi", "Jensen", "Tanaka", "Dubois", "Kowalski", "Silva",
    "Murphy", "Andersson", "Haddad", "Kim", "Weber", "Moreau", "Costa", "Nowak", "Ivanova", "Brown",
]


def is_demo_customer(customer: Customer) -> bool:
    """Whether the seeder made this customer as it is (an imported, edited or erased customer is not one)."""
    number = re.fullmatch(r"C(\d{4,})", customer.external_id)
    first, _, last = (customer.name or "").partition(" ")
    return (number is not None and first in FIRST_NAMES and last in LAST_NAMES
            and customer.email == f"{first}.{last}.{int(number.group(1))}@example.com".lower())


def holds_demo_shop(session: Session) -> bool:
    """The demo shop is in this database: its first customer is there as the seeder made it."""
    first = session.scalar(select(Customer).where(Customer.external_id == "C0001"))
    return first is not None and is_demo_customer(first)
