"""A reliability diagram of intent confidences as SVG: per confidence band, how often the intent was right."""

from __future__ import annotations

from typing import Any

from kizuna.svg_figure import svg_of


def reliability_svg(reliability: dict, title: str) -> str:
    bands = reliability["bands"]

    def draw(axes: Any) -> None:
        axes.plot([0, 1], [0, 1], linestyle="--", color="#8a8a8a", label="perfectly calibrated")
        centres = [(b["from"] + b["to"]) / 2 for b in bands]
        axes.bar(centres, [b["accuracy"] for b in bands], width=0.09, color="#0b6e4f", alpha=0.85, label="share right")
        axes.plot(centres, [b["confidence"] for b in bands], "_", markersize=18, markeredgewidth=2.5, color="#d1495b",
                  label="mean confidence in the band")
        for centre, band in zip(centres, bands):
            axes.annotate(str(band["n"]), (centre, band["accuracy"]), textcoords="offset points", xytext=(0, 3),
                          ha="center", fontsize=7, color="#444444")
        axes.set(xlim=(0, 1), ylim=(0, 1.08), xlabel="confidence of the predicted intent", ylabel="share of messages right",
                 title=f"{title}: calibration error {reliability['expected_calibration_error']:.3f}\n(bar labels: messages)")
        axes.title.set_fontsize(9)
        axes.legend(loc="upper left", fontsize=8, frameon=False)

    return svg_of(draw, 5.2, 4.4)
