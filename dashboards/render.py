"""Which figure draws which chart data, and the figure as JSON for the page."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import cache

from dashboards.counts import bars, diverging, regions
from dashboards.data import CountChart, NumberChart, RankingChart, RegionChart, TextSummary, Words
from dashboards.numbers import boxes, rank_scores
from dashboards.style import TEMPLATE, Figure

# Plotly's own tool bar: download as PNG kept, the selection tools (no use here) removed.
CONFIG = {
    "displayModeBar": True,
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def _counts(chart: CountChart, words: Words) -> Figure:
    return diverging(chart, words) if chart.kind == "diverging" else bars(chart, words)


FIGURES: dict[type, Callable[..., Figure | None]] = {
    CountChart: _counts,
    NumberChart: boxes,
    RankingChart: rank_scores,
    RegionChart: regions,
    TextSummary: lambda chart, words: None,  # free text has no chart, only its base n
}


def figure(chart, words: Words | None = None) -> Figure | None:
    """The figure for a chart's data (Plotly's JSON figure format, as plain dicts and lists);
    None for data that is not drawn (free text)."""
    return FIGURES[type(chart)](chart, words or Words())


def figure_json(fig: Figure, filename: str) -> str:
    """The figure and its config as JSON that is safe inside a ``<script>`` element."""
    config = {**CONFIG, "toImageButtonOptions": {**CONFIG["toImageButtonOptions"]}}
    config["toImageButtonOptions"]["filename"] = filename
    return _script_safe(_strict_json({"figure": fig, "config": config}))


@cache
def template_json() -> str:
    """The template every figure is drawn with, sent once a page (as the figures' JSON)."""
    return _script_safe(_strict_json(TEMPLATE))


def _script_safe(text: str) -> str:
    # No "</script>" or "<!--" can appear: every <, > and & is a JSON escape.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _strict_json(value) -> str:
    """Compact JSON that JSON.parse reads, as Plotly's own encoder wrote it: NaN and infinities
    (which JSON lacks) as null, a Decimal (a database's numeric) as a float."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_number)
    if "NaN" not in text and "Infinity" not in text:
        return text
    # Only bare constants become null: a label that says "NaN" stays as it is.
    strict = json.loads(text, parse_constant=lambda _constant: None)
    return json.dumps(strict, ensure_ascii=False, separators=(",", ":"))


def _number(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
