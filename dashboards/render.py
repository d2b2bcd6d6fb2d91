"""Which figure draws which chart data, and the figure as JSON for the page."""

from __future__ import annotations

import json
from collections.abc import Callable

import plotly.graph_objects as go
import plotly.io as pio

from dashboards.counts import bars, diverging, regions
from dashboards.data import CountChart, NumberChart, RankingChart, RegionChart, TextSummary, Words
from dashboards.numbers import boxes, rank_scores

# Plotly's own tool bar: download as PNG kept, the selection tools (no use here) removed.
CONFIG = {
    "displayModeBar": True,
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _counts(chart: CountChart, words: Words) -> go.Figure:
    return diverging(chart, words) if chart.kind == "diverging" else bars(chart, words)


FIGURES: dict[type, Callable[..., go.Figure | None]] = {
    CountChart: _counts,
    NumberChart: boxes,
    RankingChart: rank_scores,
    RegionChart: regions,
    TextSummary: lambda chart, words: None,  # free text has no chart, only its base n
}


def figure(chart, words: Words | None = None) -> go.Figure | None:
    """The figure for a chart's data; None for data that is not drawn (free text)."""
    return FIGURES[type(chart)](chart, words or Words())


def figure_json(fig: go.Figure, filename: str) -> str:
    """The figure and its config as JSON that is safe inside a ``<script>`` element."""
    config = {**CONFIG, "toImageButtonOptions": {**CONFIG["toImageButtonOptions"]}}
    config["toImageButtonOptions"]["filename"] = filename
    spec = {"figure": json.loads(pio.to_json(fig, validate=False)), "config": config}
    text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    # No "</script>" or "<!--" can appear: every <, > and & is a JSON escape.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
