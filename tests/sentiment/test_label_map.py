"""A configured model's own label names are mapped onto negative/neutral/positive."""

import pytest

from sentiment.model import label_order, parse_label_map, to_three_classes


def test_a_mapping_names_generic_labels():
    mapping = parse_label_map("LABEL_0=negative, LABEL_1=neutral,LABEL_2=Positive")
    order = label_order({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, mapping)
    assert order == ["negative", "neutral", "positive"]
    assert to_three_classes([0.7, 0.2, 0.1], order) == pytest.approx([0.7, 0.2, 0.1])


def test_a_two_label_model_has_no_neutral():
    order = label_order({0: "NEG", 1: "POS"}, parse_label_map("NEG=negative,POS=positive"))
    assert to_three_classes([0.25, 0.75], order) == pytest.approx([0.25, 0.0, 0.75])


def test_a_wrong_mapping_is_a_clear_error():
    with pytest.raises(ValueError, match="must be one of negative, neutral, positive"):
        parse_label_map("LABEL_0=angry")
    assert parse_label_map("") == {}
