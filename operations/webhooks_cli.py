"""`kizuna webhooks`: the shop's endpoints that receive signed events, and their deliveries."""

from __future__ import annotations

import click


@click.group(help="Webhooks: endpoints of the shop's other tools that receive signed events.")
def webhooks() -> None:
    pass
