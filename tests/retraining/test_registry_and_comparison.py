"""Model versions (promote, rollback) and the not-worse rule."""

import pytest

from kizuna.db.engine import session_scope
from retraining import registry
from retraining.comparison import judge, per_label_changes, side_by_side


def _figures(accuracy, macro_f1, **per_label):
    return {"n": 100, "accuracy": accuracy, "macro_f1": macro_f1, "per_label_f1": per_label,
            "most_confused": [{"truth": "a", "predicted": "b", "count": 3}]}


def test_not_worse_within_the_tolerance_is_promoted_and_worse_is_refused():
    current = _figures(0.86, 0.87)
    assert judge(_figures(0.857, 0.872), current).promote
    assert judge(_figures(0.90, 0.90), None).promote
    refused = judge(_figures(0.85, 0.88), current)
    assert not refused.promote and "accuracy 0.8600 → 0.8500" in refused.reason
    assert judge(_figures(0.10, 0.10), current, force=True).promote


def test_per_label_changes_and_the_table():
    candidate, current = _figures(0.9, 0.9, a=0.9, b=0.5, c=0.7), _figures(0.8, 0.8, a=0.6, b=0.5, d=1.0)
    changes = per_label_changes(candidate, current)
    assert [(c["label"], c["change"]) for c in changes] == [("d", -1.0), ("c", 0.7), ("a", 0.3)]
    table = side_by_side(candidate, current, "candidate", "serving")
    assert "accuracy" in table and "a 0.60→0.90" in table and "a→b ×3" in table


def test_promote_and_roll_back_through_versions(database_url, tmp_path):
    for name in ("v1", "v2"):
        (tmp_path / name).write_text("a model")
    with session_scope(database_url) as session:
        gone = registry.record(session, "nlu", "v0", str(tmp_path / "v0"))
        registry.promote(session, gone)
        first = registry.record(session, "nlu", "v1", str(tmp_path / "v1"))
        registry.promote(session, first)
        second = registry.record(session, "nlu", "v2", str(tmp_path / "v2"), metrics={"accuracy": 0.9})
        registry.promote(session, second)
        registry.record(session, "nlu", "v3", str(tmp_path / "v3"), note="worse")  # refused: never served
        assert registry.active(session, "nlu").version == "v2"
        taken_out, serving = registry.rollback(session, "nlu")
        assert (taken_out.version, serving.version) == ("v2", "v1")
        assert registry.active(session, "nlu").version == "v1"
        with pytest.raises(registry.RegistryError, match="is gone"):
            registry.rollback(session, "nlu")  # v0's file no longer exists
        assert {r.version: r.status for r in registry.history(session, "nlu")} == {
            "v0": "retired", "v1": "active", "v2": "rolled_back", "v3": "refused"}
        assert registry.active(session, "sentiment") is None
