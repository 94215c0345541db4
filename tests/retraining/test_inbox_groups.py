"""The inbox by group: which messages are near-identical, how groups are ordered and paged, a review of a
group reaching every message in it, and the conversation around one inbox message."""

from datetime import datetime, timedelta, timezone

import pytest

from kizuna.db import reviews
from kizuna.db.engine import session_scope
from kizuna.db.models import Conversation, IntentReview, Message, TurnAnalysis
from retraining import inbox_groups
from retraining.inbox_groups import group_id, group_key

START = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("one, other", [
    ("where is order 10482??", "Where is order 10511"),
    ("WHERE  is\torder #10482 !", "where is order 10482"),
    ("Ｗｈｅｒｅ　ｉｓ ｏｒｄｅｒ １０４８２", "where is order 10482"),  # full-width letters, digits and space (NFKC)
    ("where’s my refund", "wheres my refund"),
    ("mail me at Jo.Doe@example.org please", "mail me at customer@example.com, please"),
    ("ﬁnd my parcel", "find my parcel"),  # a ligature
    ("ORD-10482 status", "ord 9 status"),
])
def test_near_identical_messages_share_a_group(one, other):
    assert group_key(one) == group_key(other) and group_id(one) == group_id(other)


@pytest.mark.parametrize("one, other", [
    ("where is order 10482", "where is my order 10482"),
    ("cancel order 10482", "track order 10482"),
    ("refund 50", "refund"),  # a number is masked, not dropped
    ("mail me at jo@example.org", "mail me at jo"),
    ("<b>hi</b>", "bhib"),  # markup characters are not punctuation
])
def test_different_messages_do_not(one, other):
    assert group_id(one) != group_id(other)


def test_a_group_id_carries_none_of_the_text():
    assert len(group_id("where is order 10482")) == 16 and "order" not in group_id("where is order 10482")
    assert inbox_groups.GROUP_ID.match(group_id(""))


def _queue(url, rows, conversation="c1"):
    """Turns queued in the inbox: (text, predicted intent, confidence[, reason])."""
    with session_scope(url) as session:
        if session.get(Conversation, conversation) is None:
            session.add(Conversation(id=conversation))
            session.flush()
        ids = []
        for index, (text, intent, confidence, *reason) in enumerate(rows):
            message = Message(conversation_id=conversation, direction="in", sender="customer", text=text)
            turn = TurnAnalysis(conversation_id=conversation, turn_key=f"{conversation}-{index}-{text[:20]}", message=message,
                                intent=intent, confidence=confidence, message_at=START + timedelta(minutes=index))
            session.add(turn)
            session.flush()
            review = IntentReview(turn_analysis_id=turn.id, reason=(reason or ["low_confidence"])[0], status="pending",
                                  split=reviews.split_for(text))
            session.add(review)
            session.flush()
            ids.append(review.id)
        return ids


ORDERS = [("where is order 10482??", "track_order", 0.41), ("Where is order 10511", "track_order", 0.55),
          ("where is order 10999", "nlu_fallback", 0.2, "fallback"), ("WHERE IS ORDER 12000", "delivery_period", 0.5),
          ("where is order 10001", "track_order", 0.45)]


def test_groups_count_their_messages_and_the_largest_come_first(database_url):
    _queue(database_url, [("blorp", "nlu_fallback", 0.1, "fallback"), *ORDERS, ("refund pls", "get_refund", 0.3),
                          ("Refund, pls!", "get_refund", 0.35)])
    with session_scope(database_url) as session:
        page = inbox_groups.page(session)
    assert (page["total_groups"], page["total_messages"]) == (3, 8)
    orders, refunds, blorp = page["groups"]
    assert [g["count"] for g in page["groups"]] == [5, 2, 1]  # among equals, the least confident first
    assert orders["text"] == "where is order 10999"  # the group's least confident message stands for it
    assert orders["predicted_intent"] == "track_order" and orders["confidence_range"] == [0.2, 0.55]
    assert orders["predicted"] == [{"name": "track_order", "count": 3}, {"name": "nlu_fallback", "count": 1},
                                   {"name": "delivery_period", "count": 1}]
    assert orders["reasons"] == {"low_confidence": 4, "fallback": 1} and orders["status"] == "pending"
    assert orders["variant_count"] == 5 and len(orders["variants"]) == 4 and orders["conversations"] == 1
    assert [m["confidence"] for m in orders["members"]] == [0.2, 0.41, 0.45, 0.5, 0.55]
    assert orders["first_at"] < orders["last_at"]
    assert refunds["variants"] == [{"text": "Refund, pls!", "count": 1}] and blorp["predicted_intent"] is None


def test_paging_and_filters_apply_to_groups(database_url):
    _queue(database_url, [(f"question number {n} about {topic}", "faq", 0.3) for topic in ("tea", "cake", "jam")
                          for n in range(3)] + [("my parcel is lost", "nlu_fallback", 0.1, "fallback")])
    with session_scope(database_url) as session:
        first = inbox_groups.page(session, limit=2)
        second = inbox_groups.page(session, offset=2, limit=2)
        fallback = inbox_groups.page(session, reason="fallback")
        done = inbox_groups.page(session, status="confirmed")
    assert first["total_groups"] == second["total_groups"] == 4 and first["total_messages"] == 10
    assert len(first["groups"]) == 2 and len(second["groups"]) == 2
    assert {g["group"] for g in first["groups"]}.isdisjoint(g["group"] for g in second["groups"])
    assert [g["text"] for g in fallback["groups"]] == ["my parcel is lost"] and fallback["total_messages"] == 1
    assert done == {"groups": [], "offset": 0, "limit": 50, "total_groups": 0, "total_messages": 0}


def test_relabelling_a_group_relabels_every_message_in_it(database_url):
    ids = _queue(database_url, [*ORDERS, ("refund pls", "get_refund", 0.3)])
    with session_scope(database_url) as session:
        orders = inbox_groups.page(session)["groups"][0]
        result = inbox_groups.review_groups(session, [orders["group"], "0" * 16], "relabel", "tess", "track_order")
    assert (result["changed"], result["groups"], result["missing"]) == (5, 1, 1) and result["ids"] == sorted(ids[:5])
    with session_scope(database_url) as session:
        assert [g["text"] for g in inbox_groups.page(session)["groups"]] == ["refund pls"]
        relabelled = inbox_groups.page(session, status="relabelled")["groups"]
        rows = session.query(IntentReview).filter(IntentReview.id.in_(ids[:5])).all()
    assert [(g["count"], g["intent"], g["reviewed_by"]) for g in relabelled] == [(5, "track_order", ["tess"])]
    assert {(r.status, r.intent, r.reviewed_by) for r in rows} == {("relabelled", "track_order", "tess")}


def test_confirming_a_group_confirms_its_intent_for_all_of_its_messages(database_url):
    ids = _queue(database_url, ORDERS)
    with session_scope(database_url) as session:
        group = inbox_groups.page(session)["groups"][0]["group"]
        result = inbox_groups.review_groups(session, [group], "confirm", "tess")
    assert (result["changed"], result["intents"]) == (5, ["track_order"])
    with session_scope(database_url) as session:
        rows = {r.id: (r.status, r.intent) for r in session.query(IntentReview)}
    assert [rows[i] for i in ids] == [("confirmed", "track_order"), ("confirmed", "track_order"), ("relabelled", "track_order"),
                                      ("relabelled", "track_order"), ("confirmed", "track_order")]


def test_a_group_that_only_fell_back_cannot_be_confirmed_and_a_bad_intent_changes_nothing(database_url):
    _queue(database_url, [("huh??", "nlu_fallback", 0.2, "fallback"), ("HUH", "nlu_fallback", 0.3, "fallback")])
    with session_scope(database_url) as session:
        group = inbox_groups.page(session)["groups"][0]["group"]
        with pytest.raises(reviews.ReviewError, match="fell back"):
            inbox_groups.review_groups(session, [group], "confirm", "tess")
        with pytest.raises(reviews.ReviewError, match="intent name"):
            inbox_groups.review_groups(session, [group], "relabel", "tess", "Not An Intent")
    with session_scope(database_url) as session:
        assert inbox_groups.page(session)["groups"][0]["count"] == 2


def test_a_review_reaches_only_the_messages_under_the_filters_it_was_listed_with(database_url):
    _queue(database_url, [("where is order 10482", "track_order", 0.4), ("where is order 10483", "nlu_fallback", 0.2, "fallback")])
    with session_scope(database_url) as session:
        group = inbox_groups.page(session, reason="fallback")["groups"][0]
        assert group["count"] == 1
        assert inbox_groups.review_groups(session, [group["group"]], "dismiss", "tess", reason="fallback")["changed"] == 1
    with session_scope(database_url) as session:
        left = inbox_groups.page(session)["groups"]
    assert [(g["text"], g["count"]) for g in left] == [("where is order 10482", 1)]


def _conversation(url, lines, conversation="talk"):
    """Stored messages ("customer: ..." or "bot: ..."); each customer message analysed and queued. Their review ids."""
    review_ids = []
    with session_scope(url) as session:
        session.add(Conversation(id=conversation))
        session.flush()
        for index, line in enumerate(lines):
            sender, text = line.split(": ", 1)
            message = Message(conversation_id=conversation, direction="in" if sender == "customer" else "out", sender=sender,
                              text=text, created_at=START + timedelta(seconds=index))
            session.add(message)
            session.flush()
            if sender == "customer":
                turn = TurnAnalysis(conversation_id=conversation, turn_key=f"t{index}", intent="faq", confidence=0.3,
                                    message_id=message.id, message_at=message.created_at)
                session.add(turn)
                session.flush()
                review = IntentReview(turn_analysis_id=turn.id, reason="low_confidence", status="pending", split="train")
                session.add(review)
                session.flush()
                review_ids.append(review.id)
    return review_ids


TALK = ["bot: Hi! How can I help?", "customer: one", "bot: reply one", "customer: two", "bot: reply two", "bot: more two",
        "customer: three", "bot: reply three", "customer: four", "bot: reply four", "customer: five", "bot: reply five",
        "customer: six"]


def test_the_context_of_a_message_is_the_turns_around_it(database_url):
    ids = _conversation(database_url, TALK)
    with session_scope(database_url) as session:
        around = inbox_groups.context(session, ids[3])  # "four"
        first = inbox_groups.context(session, ids[0], turns_before=2, turns_after=1)
        alone = inbox_groups.context(session, ids[3], turns_before=0, turns_after=0)
        assert inbox_groups.context(session, 99999) is None
    texts = [m["text"] for m in around["messages"]]
    assert texts == ["two", "reply two", "more two", "three", "reply three", "four", "reply four", "five", "reply five", "six"]
    assert [m["focus"] for m in around["messages"]].index(True) == 5 and around["more_before"] and not around["more_after"]
    assert around["messages"][5]["intent"] == "faq" and around["messages"][4]["intent"] is None
    assert around["messages"][0]["sender"] == "customer" and around["messages"][1]["sender"] == "bot"
    assert [m["text"] for m in first["messages"]] == ["Hi! How can I help?", "one", "reply one", "two", "reply two", "more two"]
    assert not first["more_before"] and first["more_after"]
    assert [m["text"] for m in alone["messages"]] == ["four", "reply four"]


def test_the_context_shows_personal_data_masked_in_every_message(database_url):
    ids = _conversation(database_url, ["customer: where is order 10482",
                                       "bot: I'll write to jane.doe@example.org or call +44 7700 900123",
                                       "customer: ok <script>alert(1)</script>"])
    with session_scope(database_url) as session:
        around = inbox_groups.context(session, ids[0])
    texts = [m["text"] for m in around["messages"]]
    assert texts == ["where is order 10482", "I'll write to customer@example.com or call <phone number>",
                     "ok <script>alert(1)</script>"]  # order numbers stay; markup is text the page shows as such


def test_the_context_of_a_turn_without_its_message_is_the_turn_alone(database_url):
    ids = _queue(database_url, [("lost it", "nlu_fallback", 0.1, "fallback")], conversation="gone")
    with session_scope(database_url) as session:
        around = inbox_groups.context(session, ids[0])
    assert [(m["text"], m["focus"], m["intent"]) for m in around["messages"]] == [("lost it", True, "nlu_fallback")]
