"""A stable random share of customers who never get offers, for measuring their effect."""

from __future__ import annotations

import hashlib


def in_control_group(customer_key: str, share: float, salt: str) -> bool:
    """The same customer always lands on the same side; about `share` of customers are in control."""
    digest = hashlib.sha256(f"{salt}:{customer_key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share
