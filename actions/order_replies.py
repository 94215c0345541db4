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
