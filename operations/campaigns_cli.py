"""`kizuna campaigns`: saved win-back rules, their audience and their runs."""

from __future__ import annotations

import click


@click.group(help="Win-back campaigns: create, preview, run (e.g. nightly from cron) and list.")
def campaigns() -> None:
    pass
