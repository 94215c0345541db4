"""The inbox (collecting, flagging, reviewing) and the export into training data."""

import shutil

import pytest
import yaml

from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, Message, TurnAnalysis
from kizuna.db import reviews
from kizuna.settings import PROJECT_ROOT, Settings
from retraining.nlu_export import export_reviewed


def _turns(url, rows):
    with session_scope(url) as session:
        session.add(Conversation(id="c1"))
        session.flush()
        turns = [TurnAnalysis(conversation_id="c1", turn_key=f"k{i}", intent=intent, confidence=confidence,
                              message=Message(conversation_id="c1", direction="in", sender="customer", text=text))
                 for i, (text, intent, confidence) in enumerate(rows)]
        session.add_all(turns)
        session.flush()
        return [t.id for t in turns]


def test_unsure_and_fallback_turns_are_collected_once(database_url):
    ids = _turns(database_url, [("where is my order", "track_order", 0.95), ("hmm the thing with the box", "nlu_fallback", 0.4),
                                ("parcel stuck??", "track_order", 0.51), ("/affirm", "affirm", 0.2)])
    with session_scope(database_url) as session:
        assert reviews.collect_candidates(session, below_confidence=0.6) == 2
        assert reviews.collect_candidates(session, below_confidence=0.6) == 0
        items = reviews.inbox(session)
    assert [(i["turn_id"], i["reason"]) for i in items] == [(ids[1], "fallback"), (ids[2], "low_confidence")]


def test_confirm_relabel_dismiss_and_flag(database_url):
    ids = _turns(database_url, [("hmm the thing with the box", "nlu_fallback", 0.4), ("parcel stuck??", "track_order", 0.51),
                                ("asdf", "greet", 0.3), ("cancel it all", "place_order", 0.97)])
    with session_scope(database_url) as session:
        reviews.collect_candidates(session, 0.6)
        by_turn = {i["turn_id"]: i["id"] for i in reviews.inbox(session)}
        with pytest.raises(reviews.ReviewError, match="fell back"):
            reviews.apply_review(session, [by_turn[ids[0]]], "confirm", "tess")
        with pytest.raises(reviews.ReviewError, match="intent name"):
            reviews.apply_review(session, [by_turn[ids[0]]], "relabel", "tess", "Bad Name!")
        assert reviews.apply_review(session, [by_turn[ids[0]]], "relabel", "tess", "gift_cards") == 1
        assert reviews.apply_review(session, [by_turn[ids[1]]], "confirm", "tess") == 1
        assert reviews.apply_review(session, [by_turn[ids[2]]], "dismiss", "tess") == 1
        reviews.flag_turn(session, ids[3], "sam")
        pending = reviews.inbox(session)
        done = {e.text: e.intent for e in reviews.reviewed_examples(session)}
    assert [(i["turn_id"], i["reason"], i["flagged_by"]) for i in pending] == [(ids[3], "flagged", "sam")]
    assert done == {"hmm the thing with the box": "gift_cards", "parcel stuck??": "track_order"}


def test_sentiment_corrections_keep_the_latest_label(database_url):
    ids = _turns(database_url, [("great, another delay", "complaint", 0.9)])
    with session_scope(database_url) as session:
        reviews.correct_sentiment(session, ids[0], "positive", "sam")
        reviews.correct_sentiment(session, ids[0], "negative", "tess")
        with pytest.raises(reviews.ReviewError):
            reviews.correct_sentiment(session, ids[0], "furious", "tess")
        with pytest.raises(LookupError):
            reviews.correct_sentiment(session, 999999, "negative", "tess")
        assert reviews.sentiment_corrections(session) == [("great, another delay", "negative", reviews.split_for("great, another delay"))]


def test_split_is_stable_and_keeps_about_a_fifth_for_testing():
    texts = [f"message number {i}" for i in range(2000)]
    assert reviews.split_for("Hello  THERE") == reviews.split_for("hello there")
    assert 0.15 < sum(reviews.split_for(t) == "test" for t in texts) / len(texts) < 0.25


@pytest.fixture
def data_copy(tmp_path):
    for folder in ("data", "bot"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("sentiment", "customers"))
    return Settings(data_dir=tmp_path / "data", bot_dir=tmp_path / "bot", var_dir=tmp_path / "var")


def _example(text, intent, split="train"):
    return reviews.ReviewedExample(text, intent, split, f"conversation c1, {text[:10]}")


def test_export_masks_deduplicates_keeps_origin_and_declares_new_intents(data_copy):
    summary = export_reviewed(data_copy, [
        _example("send the voucher to jane@example.org [now]", "gift_cards"),
        _example("Where is my   ORDER", "track_order"),
        _example("a message kept for testing", "track_order", split="test"),
        _example("parcel left at the wrong door", "complaint"),
    ])
    written = yaml.safe_load((data_copy.data_dir / "nlu" / "from_logs.yml").read_text())
    examples = {e["text"]: (item["intent"], e["metadata"]["origin"]) for item in written["nlu"] for e in item["examples"]}
    assert set(examples) == {"send the voucher to customer@example.com (now)", "parcel left at the wrong door"}
    assert all(origin.startswith("conversation c1") for _, origin in examples.values())
    assert summary.exported == 2 and summary.already_known == 1 and summary.new_intents == ["gift_cards"]
    assert yaml.safe_load((data_copy.domain_dir / "from_logs.yml").read_text())["intents"] == ["gift_cards"]
    rules = yaml.safe_load((data_copy.data_dir / "rules" / "from_logs.yml").read_text())["rules"]
    assert rules == [{"rule": "answer gift_cards", "steps": [{"intent": "gift_cards"}, {"action": "action_answer"}]}]


def test_export_again_adds_to_the_file_and_a_new_label_wins(data_copy):
    export_reviewed(data_copy, [_example("parcel left at the wrong door", "complaint")])
    summary = export_reviewed(data_copy, [_example("parcel left at the wrong door", "track_order"), _example("my box got wet", "complaint")])
    written = yaml.safe_load((data_copy.data_dir / "nlu" / "from_logs.yml").read_text())
    assert {item["intent"]: [e["text"] for e in item["examples"]] for item in written["nlu"]} == {
        "complaint": ["my box got wet"], "track_order": ["parcel left at the wrong door"]}
    assert summary.total_in_file == 2 and summary.new_intents == []
    assert not (data_copy.domain_dir / "from_logs.yml").exists()
