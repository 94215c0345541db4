"""The whole retraining loop on the real stack: messages the bot gets wrong are relabelled in the
trainers' inbox, exported and retrained; the candidate handles held-out paraphrases and is promoted
into the running assistant; a model trained on shuffled labels is refused; rollback restores the
model that served before."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import select

from retraining import nlu_models as nlu
from kizuna import rasa_client
from kizuna.accounts import create_user
from kizuna.db.engine import session_scope
from kizuna.db.models import TurnAnalysis
from kizuna.db.reviews import split_for
from kizuna.secrets import load_secrets
from kizuna.settings import PROJECT_ROOT
from tests.integration.chat import Chat
from tests.integration.staff_client import staff_client

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# Parcels left with the wrong people: customers complain, the shipped model mostly does not understand.
TAUGHT = [
    "the courier left my package at the wrong house", "the delivery guy dumped my box at a neighbour I don't know",
    "neighbour took in my delivery but I can't find them", "driver threw the parcel over my fence",
    "my package was left outside in the rain", "courier said he delivered it to a neighbour but nobody has it",
    "the parcel was handed to a stranger", "delivery left at the wrong address again",
    "package left at the wrong flat", "courier posted my parcel through the wrong letterbox",
]
KEPT_FOR_TESTING = ["the courier gave my parcel to the wrong neighbour", "driver dropped my delivery at the wrong door",
                    "they left the box in front of the wrong building"]
FRESH_PARAPHRASES = ["my parcel was left at the wrong house by your courier", "the driver handed my box to a random neighbour",
                     "the courier dumped my package at a stranger's door"]
INTENT = "complaint"


def test_splits_are_as_the_test_expects():
    assert {split_for(text) for text in TAUGHT} == {"train"}
    assert {split_for(text) for text in KEPT_FOR_TESTING} == {"test"}


@pytest.fixture
def workspace(stack, tmp_path):
    """A copy of the training data and of the serving model, so the project's own files stay untouched."""
    running, url = stack
    for folder in ("data", "bot"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    serving = nlu.serving_model(running.settings)
    (tmp_path / "models" / "rasa").mkdir(parents=True)
    original = Path(shutil.copy(serving, tmp_path / "models" / "rasa" / serving.name))
    env = dict(os.environ, KIZUNA_DATA_DIR=str(tmp_path / "data"), KIZUNA_BOT_DIR=str(tmp_path / "bot"),
               KIZUNA_MODELS_DIR=str(tmp_path / "models"), KIZUNA_VAR_DIR=str(tmp_path / "var"), KIZUNA_DATABASE_URL=url,
               KIZUNA_RASA_URL=running.settings.rasa_url, KIZUNA_RASA_TOKEN=running.settings.rasa_token)
    yield tmp_path, env, original
    rasa_client.load_into_server(running.settings.rasa_url, running.settings.rasa_token, original)  # whatever happened above


def kizuna(env: dict, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "operations.cli", *args], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_relabel_export_retrain_promote_refuse_and_roll_back(stack, workspace):
    running, url = stack
    folder, env, original = workspace
    chat = Chat(running)
    for text in TAUGHT + KEPT_FOR_TESTING:
        chat.say(text)
    turns = _turns(url, chat.conversation_id)
    assert sum(t.intent != INTENT for t in turns) >= len(turns) // 2, "the shipped model already knows these"

    trainer = _trainer(running, url)
    admin = staff_client(running.console_url, "admin", load_secrets(running.settings.var_dir)["admin_password"])
    pending = {i["turn_id"] for i in trainer.get("/api/training/inbox").json()["items"]}
    for turn in turns:  # what the bot got wrong with confidence, an agent flags
        if turn.intent != INTENT and turn.id not in pending:
            assert admin.post(f"/api/training/turns/{turn.id}/flag").status_code in (200, 201)
    ours = [i for i in trainer.get("/api/training/inbox").json()["items"] if i["conversation_id"] == chat.conversation_id]
    relabelled = trainer.post("/api/training/inbox/review", json={"ids": [i["id"] for i in ours], "action": "relabel", "intent": INTENT})
    assert relabelled.status_code == 200, relabelled.text

    exported = kizuna(env, "nlu", "export")
    assert exported["exported"] == sum(i["text"] in TAUGHT for i in ours)
    written = yaml.safe_load((folder / "data" / "nlu" / "from_logs.yml").read_text())
    assert all("origin" in e["metadata"] for item in written["nlu"] for e in item["examples"])
    assert not {e["text"] for item in written["nlu"] for e in item["examples"]} & set(KEPT_FOR_TESTING)

    better = kizuna(env, "nlu", "retrain")
    assert better["decision"] == "promoted" and better["loaded_by_running_assistant"], better["reason"]
    assert better["candidate"]["logs"]["accuracy"] > better["serving_before"]["logs"]["accuracy"]
    assert better["candidate"]["all"]["macro_f1"] >= better["serving_before"]["all"]["macro_f1"] - 0.005
    print(f"\nretrain: incremental={better['incremental']} in {better['training_seconds']} s; held-out reviewed messages "
          f"{better['serving_before']['logs']['accuracy']} → {better['candidate']['logs']['accuracy']}; all "
          f"{better['serving_before']['all']['accuracy']} → {better['candidate']['all']['accuracy']}")
    assert _served_model(running) == better["candidate"]["version"]
    fresh = Chat(running)
    for text in FRESH_PARAPHRASES:
        fresh.say(text)
    assert sum(t.intent == INTENT for t in _turns(url, fresh.conversation_id)) >= 2

    _shuffle_intents(folder / "data" / "nlu")
    worse = kizuna(env, "nlu", "retrain", "--epoch-fraction", "0.05")
    assert worse["decision"] == "refused" and not worse["loaded_by_running_assistant"]
    assert worse["candidate"]["all"]["accuracy"] < better["candidate"]["all"]["accuracy"] - 0.2
    assert _served_model(running) == better["candidate"]["version"]

    rolled = kizuna(env, "nlu", "rollback")
    assert rolled == {"rolled_back": better["candidate"]["version"], "serving": original.name.removesuffix(".tar.gz"),
                      "loaded_by_running_assistant": True}
    assert _served_model(running) == rolled["serving"]
    versions = {v["version"]: v["status"] for v in map(json.loads, _lines(env, "nlu", "versions"))}
    assert versions[better["candidate"]["version"]] == "rolled_back" and versions[worse["candidate"]["version"]] == "refused"


def _turns(url: str, conversation_id: str) -> list[TurnAnalysis]:
    with session_scope(url) as session:
        return list(session.scalars(select(TurnAnalysis).where(TurnAnalysis.conversation_id == conversation_id).order_by(TurnAnalysis.id)))


def _trainer(running, url: str) -> httpx.Client:
    with session_scope(url) as session:
        create_user(session, "tess-trainer", "a long trainer password", "trainer")
    return staff_client(running.console_url, "tess-trainer", "a long trainer password")


def _served_model(running) -> str:
    status = httpx.get(f"{running.settings.rasa_url}/status", params={"token": running.settings.rasa_token}, timeout=10).json()
    return Path(status["model_file"]).name.removesuffix(".tar.gz")


def _shuffle_intents(nlu_dir: Path) -> None:
    """Every block of examples gets another intent's name: a deliberately wrong training set."""
    documents = {path: yaml.safe_load(path.read_text()) for path in sorted(nlu_dir.glob("*.yml"))}
    blocks = [item for document in documents.values() for item in document.get("nlu", []) if "intent" in item]
    names = [block["intent"] for block in blocks]
    random.Random(3).shuffle(names)
    for block, name in zip(blocks, names):
        block["intent"] = name
    for path, document in documents.items():
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True))


def _lines(env: dict, *args: str) -> list[str]:
    result = subprocess.run([sys.executable, "-m", "operations.cli", *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.splitlines()
