"""A reliability diagram of intent confidences as SVG: per confidence band, how often the intent was right."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def reliability_svg(reliability: dict, title: str) -> str:
    bands = reliability["bands"]
    figure, axes = plt.subplots(figsize=(5.2, 4.4), dpi=100)
    try:
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
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
    finally:
        plt.close(figure)
