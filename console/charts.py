"""The analytics charts as SVG, drawn with matplotlib (no browser-side chart code)."""

from __future__ import annotations

from typing import Any

from matplotlib.ticker import MaxNLocator

from kizuna.svg_figure import svg_of

ACCENT, SECOND, MUTED = "#0b6e4f", "#d1495b", "#8a8a8a"
CHARTS = ("conversations", "sentiment", "flags", "offers")


def chart_svg(name: str, activity: list[dict[str, Any]], offers: list[dict[str, Any]]) -> str:
    draw = {"conversations": _conversations, "sentiment": _sentiment, "flags": _flags, "offers": _offers}[name]
    return svg_of(lambda axes: draw(axes, activity, offers), 6.4, 2.8)


def _days(activity: list[dict[str, Any]]) -> list[str]:
    return [row["day"][5:] for row in activity]


def _thin_ticks(axes: Any, labels: list[str]) -> None:
    step = max(1, len(labels) // 8)
    axes.set_xticks(range(0, len(labels), step), labels[::step], fontsize=8)


def _conversations(axes: Any, activity: list[dict[str, Any]], _offers: Any) -> None:
    labels = _days(activity)
    axes.bar(range(len(labels)), [row["conversations"] for row in activity], color=ACCENT)
    axes.set_title("Conversations per day", fontsize=10, loc="left")
    _thin_ticks(axes, labels)


def _sentiment(axes: Any, activity: list[dict[str, Any]], _offers: Any) -> None:
    labels = _days(activity)
    points = [(i, row["average_sentiment"]) for i, row in enumerate(activity) if row["average_sentiment"] is not None]
    axes.axhline(0, color=MUTED, linewidth=0.8)
    if points:
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3, color=ACCENT)
    axes.set_ylim(-1, 1)
    axes.set_title("Average sentiment of customer turns (−1 negative … +1 positive)", fontsize=10, loc="left")
    _thin_ticks(axes, labels)


def _flags(axes: Any, activity: list[dict[str, Any]], _offers: Any) -> None:
    labels = _days(activity)
    flagged = [row["flagged"] for row in activity]
    axes.bar(range(len(labels)), flagged, color=ACCENT, label="flagged (offer or control)")
    axes.bar(range(len(labels)), [row["escalations"] for row in activity], bottom=flagged, color=SECOND, label="escalated")
    axes.legend(fontsize=8, frameon=False)
    axes.set_title("Flags and escalations per day", fontsize=10, loc="left")
    _thin_ticks(axes, labels)


def _offers(axes: Any, _activity: Any, offers: list[dict[str, Any]]) -> None:
    names = [row["arm"] for row in offers]
    positions = range(len(names))
    axes.bar([p - 0.2 for p in positions], [row["made"] for row in offers], width=0.4, color=MUTED, label="made")
    axes.bar([p + 0.2 for p in positions], [row["accepted"] for row in offers], width=0.4, color=ACCENT, label="accepted")
    axes.set_xticks(list(positions), names, fontsize=8)
    axes.set_ylim(0, max([row["made"] for row in offers] + [1]) * 1.15)  # counts: never below zero, even with none
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize=8, frameon=False)
    axes.set_title("Offers made and accepted, by arm", fontsize=10, loc="left")


def conversation_sentiment_svg(turns: list[dict[str, Any]]) -> str:
    """Each customer turn's sentiment score as points and the conversation trend as a line."""
    def draw(axes: Any) -> None:
        numbers = range(1, len(turns) + 1)
        axes.axhline(0, color=MUTED, linewidth=0.8)
        axes.scatter(numbers, [t["score"] for t in turns], s=14, color=SECOND, label="turn", zorder=3)
        axes.plot(numbers, [t["trend"] for t in turns], color=ACCENT, label="trend")
        axes.set_ylim(-1.05, 1.05)
        axes.set_xlabel("customer turn", fontsize=8)
        if turns:
            axes.set_xticks(list(numbers)[:: max(1, len(turns) // 8)])
            axes.legend(fontsize=7, frameon=False, loc="lower left")
        axes.tick_params(labelsize=8)

    return svg_of(draw, 4.2, 2.2)
