"""The CSAT chart as SVG: per day, the share of ratings of 4 or 5, bot-only against agent-handled,
over bars of how many ratings there were."""

from __future__ import annotations

from typing import Any

from matplotlib.ticker import MaxNLocator

from console.charts import ACCENT, MUTED, SECOND
from kizuna.svg_figure import svg_of

GROUPS = (("bot", "bot-only", ACCENT, "o"), ("agent", "agent-handled", SECOND, "s"))


def csat_svg(by_day: list[dict[str, Any]]) -> str:
    return svg_of(lambda axes: _draw(axes, by_day), 6.4, 2.8)


def _draw(axes: Any, by_day: list[dict[str, Any]]) -> None:
    labels = [row["day"][5:] for row in by_day]
    counts = axes.twinx()
    counts.bar(range(len(labels)), [row["ratings"] for row in by_day], color=MUTED, alpha=0.25, label="ratings")
    counts.set_ylabel("ratings", fontsize=8, color=MUTED)
    counts.tick_params(labelsize=8, colors=MUTED)
    counts.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts.set_ylim(0, max([row["ratings"] for row in by_day] + [1]) * 1.15)
    counts.spines[["top"]].set_visible(False)
    axes.set_zorder(counts.get_zorder() + 1)
    axes.patch.set_visible(False)
    for key, name, colour, marker in GROUPS:
        points = [(i, 100 * row[key]["csat"]) for i, row in enumerate(by_day) if row[key]["csat"] is not None]
        if points:
            axes.plot([p[0] for p in points], [p[1] for p in points], marker=marker, markersize=4, color=colour, label=name)
    axes.set_ylim(-5, 105)
    axes.set_ylabel("CSAT %", fontsize=8)
    axes.tick_params(labelsize=8)
    if any(row["ratings"] for row in by_day):
        axes.legend(fontsize=8, frameon=False, loc="lower left")
    else:
        axes.text(0.5, 0.5, "No ratings in this period", transform=axes.transAxes, ha="center", fontsize=9, color=MUTED)
    axes.set_title("CSAT per day: share of ratings of 4 or 5 (bars: ratings)", fontsize=10, loc="left")
    step = max(1, len(labels) // 8)
    axes.set_xticks(range(0, len(labels), step), labels[::step], fontsize=8)
