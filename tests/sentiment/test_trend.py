"""The negative-trend rules on scripted conversations (scores as the model gives them)."""

from kizuna.settings import get_settings
from sentiment.trend import TrendState, least_squares_slope, load_trend_config, update_trend

CONFIG = load_trend_config(get_settings().trend_config_path)


def replay(scores):
    state = None
    history = []
    for score in scores:
        state = update_trend(state, score, CONFIG)
        history.append(state)
    return history


def test_a_slide_from_neutral_into_anger_triggers_it():
    history = replay([0.1, 0.0, -0.2, -0.5, -0.8])
    assert not any(s.negative_trend for s in history[:3])
    assert history[-1].negative_trend and history[-1].reasons


def test_one_sarcastic_thanks_in_a_calm_chat_does_not():
    history = replay([0.3, 0.1, -0.6, 0.2, 0.4])
    assert not any(s.negative_trend for s in history)
    assert history[-1].worst_score == -0.6 and history[-1].worst_turn == 3


def test_a_recovery_clears_it():
    history = replay([0.0, -0.7, -0.9, 0.6, 0.8])
    assert history[2].negative_trend
    assert not history[-1].negative_trend


def test_state_round_trips_through_json_shape():
    state = replay([0.2, -0.4])[-1]
    assert TrendState.from_dict(state.to_dict()) == state
    assert state.turns == 2 and state.consecutive_negative == 1


def test_slope_and_bounds():
    assert least_squares_slope([0.0, -0.5, -1.0]) == -0.5
    assert least_squares_slope([0.3]) == 0.0
    assert replay([5.0])[-1].ewma == 1.0


def test_the_intensity_scale_tells_annoyed_from_furious():
    from sentiment.trend import intensity

    assert [intensity(score, CONFIG) for score in (-0.95, -0.5, 0.0, 0.5, 0.9)] == ["furious", "annoyed", "calm", "pleased", "delighted"]
    assert intensity(CONFIG.negative_turn_score, CONFIG) == "annoyed" and intensity(CONFIG.furious_score, CONFIG) == "furious"
