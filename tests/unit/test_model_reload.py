"""A promoted model reaches every worker of a rasa server: it is sent again until enough status calls in a
row, each of which any worker may answer, report it."""

import random
from pathlib import Path

import pytest

from kizuna import rasa_client


class Workers:
    """Two rasa workers at the HTTP boundary: each new connection lands on either one, as the kernel decides."""

    def __init__(self) -> None:
        self.models = ["old.tar.gz", "old.tar.gz"]
        self.chance = random.Random(7)

    def _take(self) -> int:
        return self.chance.randrange(len(self.models))

    def put(self, url, params, json, timeout):  # noqa: A002 - httpx.put's own keyword
        self.models[self._take()] = Path(json["model_file"]).name
        return type("Response", (), {"raise_for_status": lambda self: None})()

    def status(self, url, token, timeout):
        return {"model_file": f"/models/{self.models[self._take()]}"}


def test_every_worker_ends_up_serving_the_promoted_model(monkeypatch):
    workers = Workers()
    monkeypatch.setattr(rasa_client.httpx, "put", workers.put)
    monkeypatch.setattr(rasa_client, "rasa_status", workers.status)
    rasa_client.load_into_server("http://rasa", "t", Path("/models/new.tar.gz"), timeout=5)
    assert workers.models == ["new.tar.gz", "new.tar.gz"]


def test_a_server_that_never_reports_the_model_times_out(monkeypatch):
    monkeypatch.setattr(rasa_client.httpx, "put", Workers().put)
    monkeypatch.setattr(rasa_client, "rasa_status", lambda url, token, timeout: {"model_file": "/models/old.tar.gz"})
    with pytest.raises(rasa_client.httpx.TimeoutException):
        rasa_client.load_into_server("http://rasa", "t", Path("/models/new.tar.gz"), timeout=0.2)
