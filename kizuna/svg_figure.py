"""Drawing a matplotlib figure to SVG text, the way every chart of the product is drawn."""

from __future__ import annotations

import io
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def svg_of(draw: Callable[[Any], None], width: float, height: float) -> str:
    """`draw` fills the axes; the figure is tidied (no top and right spines) and returned as SVG."""
    figure, axes = plt.subplots(figsize=(width, height), dpi=100)
    try:
        draw(axes)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
    finally:
        plt.close(figure)
