"""Serving the outreach processes: the delivery worker (e-mail and webhooks) and a local mail catcher."""

from __future__ import annotations
