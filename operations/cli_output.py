"""What the commands print for programs to read: one JSON document per call, unicode as it is."""

from __future__ import annotations

import json

import click


def echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str))
