"""What the assistant says about an order, a refund or an invoice (plain text, no Rasa)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from kizuna.db.models import Invoice, Order, Refund

CANCELLABLE_STATUSES = ("placed", "processing")


def _day(value: Optional[date | datetime]) -> str:
    return value.strftime("%d %b %Y") if value else "an unknown date"


def _money(amount: object, currency: str) -> str:
    return f"{amount} {currency}"


def order_status_text(order: Order) -> str:
    number = order.order_number
    if order.status in CANCELLABLE_STATUSES:
        return (
            f"Order {number} was placed on {_day(order.placed_at)} and is being prepared. "
            f"Expected delivery: {_day(order.expected_delivery)}."
        )
    if order.status == "shipped":
        return (
            f"Order {number} shipped on {_day(order.shipped_at)} with {order.carrier} "
            f"(tracking number {order.tracking_number}). Expected delivery: {_day(order.expected_delivery)}."
        )
    if order.status == "delivered":
        return f"Order {number} was delivered on {_day(order.delivered_at)}."
    if order.status == "cancelled":
        return f"Order {number} was cancelled."
    if order.status == "returned":
        return f"Order {number} was delivered on {_day(order.delivered_at)} and has been returned."
    return f"Order {number} has the status '{order.status}'."


def refund_status_text(order: Order, refund: Optional[Refund], refund_window_days: int) -> str:
    if refund is None:
        return (
            f"There is no refund for order {order.order_number} yet. You can return items within "
            f"{refund_window_days} days of delivery to get your money back."
        )
    amount = _money(refund.amount, order.currency)
    if refund.status == "refunded":
        return f"The refund of {amount} for order {order.order_number} was paid out on {_day(refund.processed_at)}."
    if refund.status == "rejected":
        return f"The refund for order {order.order_number} was declined. A colleague can explain why if you ask for an agent."
    return (
        f"The refund of {amount} for order {order.order_number} was requested on {_day(refund.requested_at)} "
        f"and is {refund.status}. It usually reaches your account within a few working days."
    )


def invoice_text(order: Order, invoice: Optional[Invoice], account_url: str) -> str:
    if invoice is None:
        return f"Order {order.order_number} has no invoice, because it was cancelled before payment."
    return (
        f"Invoice {invoice.invoice_number} for order {order.order_number}: {_money(invoice.amount, order.currency)}, "
        f"{invoice.status}, issued on {_day(invoice.issued_at)}. You can download it as a PDF under "
        f"'My orders' at {account_url}."
    )


def cancellation_text(order: Order, cancellation_fee: str) -> str:
    number = order.order_number
    if order.status in CANCELLABLE_STATUSES:
        return f"Order {number} hasn't shipped yet, so you can cancel it free of charge. Shall I cancel it now?"
    if order.status == "shipped":
        return (
            f"Order {number} has already shipped, so it can't be cancelled any more. You can refuse the parcel "
            f"or return it after delivery; cancelling is {cancellation_fee}."
        )
    if order.status == "cancelled":
        return f"Order {number} is already cancelled."
    return f"Order {number} has been delivered, so it can't be cancelled, but you can return it for a refund."


ASK_ORDER_NUMBER = "What's your order number? It has 5 digits and is in your order confirmation e-mail."
NOT_AN_ORDER_NUMBER = "That doesn't look like an order number. It has 5 digits, e.g. 10023."
PROOF_MISMATCH = (
    "Sorry, I couldn't match that order number and {what} to an order. Please check both and try again: "
    "first the order number, then the {what}. You can also sign in to your account and ask me again."
)
TOO_MANY_TRIES = (
    "There have been too many tries to confirm an order, so I can't look up orders in this chat for now. "
    "Please try again later, or sign in to your account at {account_url} and ask me again."
)
SECOND_FACTOR_NAMES = {"email": "e-mail address", "name": "full name"}


def order_not_found_text(number: str) -> str:
    """The one reply for an order that does not exist and for an order that is not the customer's."""
    return (
        f"I couldn't find an order with the number {number}. Please check it in your order confirmation "
        "e-mail, or say 'stop' if you don't have it."
    )


def ask_second_factor_text(number: str, factor: str) -> str:
    return (
        f"To keep orders private, please confirm it's yours: what's the {SECOND_FACTOR_NAMES[factor]} "
        f"used for order {number}? (If you have an account, you can also sign in and ask me again.)"
    )


def proof_mismatch_text(factor: str) -> str:
    return PROOF_MISMATCH.format(what=SECOND_FACTOR_NAMES[factor])


def too_many_tries_text(account_url: str) -> str:
    return TOO_MANY_TRIES.format(account_url=account_url)


def order_choice_title(order: Order) -> str:
    return f"Order {order.order_number} ({order.status}, {_day(order.placed_at)})"


def order_choice_text(has_orders: bool, open_only: bool) -> str:
    if has_orders:
        return "Which order is it about? Pick one below, or type another order number."
    which = "open orders" if open_only else "orders"
    return f"I can't see any {which} on your account right now. If it's about an earlier order, what's its number?"
