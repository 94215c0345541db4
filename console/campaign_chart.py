"""The campaigns chart as SVG: per campaign, the share of treated and of held-out contacts who ordered within
30 days, each with its 95 % interval as a bar."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.ticker import PercentFormatter

from console.charts import ACCENT, MUTED
from kizuna.svg_figure import svg_of

ARMS = (("treatment", "treated", ACCENT, -0.17), ("holdout", "holdout", MUTED, 0.17))
MAX_CAMPAIGNS = 8  # the newest with contacts; the table lists every one


def campaigns_svg(campaigns: list[dict[str, Any]]) -> str:
    shown = [c for c in campaigns if any(c["arms"][arm]["contacts"] for arm, *_ in ARMS)][-MAX_CAMPAIGNS:]
    return svg_of(lambda axes: _draw(axes, shown), 6.4, 2.8)


def _draw(axes: Any, campaigns: list[dict[str, Any]]) -> None:
    axes.set_title("Ordered within 30 days of the contact: treated against holdout (bars: 95 % interval)",
                   fontsize=10, loc="left")
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.tick_params(labelsize=8)
    if not campaigns:
        axes.set_xticks([])
        axes.text(0.5, 0.5, "No campaign contacts yet", transform=axes.transAxes, ha="center", fontsize=9, color=MUTED)
        return
    for arm, label, colour, shift in ARMS:
        points = [(i + shift, c["arms"][arm]) for i, c in enumerate(campaigns) if c["arms"][arm]["conversion"] is not None]
        if points:
            rates = [row["conversion"] for _, row in points]
            below = [rate - row["conversion_ci95"][0] for rate, (_, row) in zip(rates, points)]
            above = [row["conversion_ci95"][1] - rate for rate, (_, row) in zip(rates, points)]
            axes.errorbar([x for x, _ in points], rates, yerr=[below, above], fmt="o", markersize=5, capsize=4,
                          color=colour, label=label)
    axes.set_xlim(-0.6, len(campaigns) - 0.4)
    axes.set_xticks(range(len(campaigns)), [textwrap.shorten(c["name"], 22, placeholder="…") for c in campaigns], fontsize=8)
    for label in axes.get_xticklabels():
        label.set_parse_math(False)  # a "$" in a campaign name is text, not a formula
    axes.legend(fontsize=8, frameon=False, loc="upper right")
