"""`kizuna sentiment retrain` and `rollback` from the command line, on small slices of the corpus:
corrected labels join the training data, a better candidate is promoted and installed, a worse one
is refused, and rollback installs the model that served before."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Message, TurnAnalysis
from kizuna.db.reviews import correct_sentiment, split_for
from kizuna.settings import PROJECT_ROOT
from sentiment.model import read_model_card

pytestmark = pytest.mark.slow

CORRECTIONS = [("great, another delay. just brilliant", "negative"), ("oh wonderful, the box is crushed again", "negative"),
               ("not bad at all, thanks", "positive"), ("ok", "neutral"), ("fine I guess, it arrived", "neutral"),
               ("love how nobody answers my emails", "negative")]


@pytest.fixture
def workspace(tmp_path, sqlite_url, small_sentiment_model):
    shutil.copytree(PROJECT_ROOT / "data" / "sentiment", tmp_path / "data" / "sentiment")
    shutil.copytree(small_sentiment_model, tmp_path / "models" / "sentiment")
    with session_scope(sqlite_url) as session:
        session.add(Conversation(id="c1"))
        session.flush()
        for index, (text, label) in enumerate(CORRECTIONS):
            turn = TurnAnalysis(conversation_id="c1", turn_key=f"k{index}", sentiment_label="positive",
                                message=Message(conversation_id="c1", direction="in", sender="customer", text=text))
            session.add(turn)
            session.flush()
            correct_sentiment(session, turn.id, label, "tess")
    env = {k: v for k, v in os.environ.items() if k != "KIZUNA_SENTIMENT_MODEL"}
    env.update(KIZUNA_DATA_DIR=str(tmp_path / "data"), KIZUNA_MODELS_DIR=str(tmp_path / "models"),
               KIZUNA_VAR_DIR=str(tmp_path / "var"), KIZUNA_DATABASE_URL=sqlite_url)
    return tmp_path, env


def kizuna(env, *args):
    result = subprocess.run([sys.executable, "-m", "operations.cli", *args], env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_retrain_promotes_better_refuses_worse_and_rolls_back(workspace):
    folder, env = workspace
    first = read_model_card(folder / "models" / "sentiment")["version"]

    better = kizuna(env, "sentiment", "retrain", "--limit", "320", "--epochs", "15")
    assert better["decision"] == "promoted", better["reason"]
    assert better["corrections"] == {"train": sum(split_for(t) == "train" for t, _ in CORRECTIONS),
                                     "test": sum(split_for(t) == "test" for t, _ in CORRECTIONS)}
    assert better["candidate"]["all"]["n"] == better["serving_before"]["all"]["n"] > 500
    assert read_model_card(folder / "models" / "sentiment")["version"] == better["candidate"]["version"] != first
    logged = (folder / "data" / "sentiment" / "from_logs.csv").read_text().splitlines()
    assert logged[0] == "text,label" and len(logged) == 1 + better["corrections"]["train"]

    worse = kizuna(env, "sentiment", "retrain", "--limit", "24", "--epochs", "1")
    assert worse["decision"] == "refused"
    assert read_model_card(folder / "models" / "sentiment")["version"] == better["candidate"]["version"]

    rolled = kizuna(env, "sentiment", "rollback")
    assert rolled == {"rolled_back": better["candidate"]["version"], "serving": first}
    assert read_model_card(folder / "models" / "sentiment")["version"] == first


def test_a_configured_model_is_not_retrained(workspace):
    folder, env = workspace
    result = subprocess.run([sys.executable, "-m", "operations.cli", "sentiment", "retrain"], capture_output=True, text=True,
                            env=dict(env, KIZUNA_SENTIMENT_MODEL=str(folder / "models" / "sentiment")), timeout=300)
    assert result.returncode == 1 and "KIZUNA_SENTIMENT_MODEL" in result.stderr
