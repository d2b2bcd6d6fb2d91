"""The look shared by every chart: fonts, colours with enough contrast, titles and notes.

Figures are plain dicts in Plotly's JSON figure format (``{"data": [...], "layout": {...}}``),
built directly rather than through ``plotly.graph_objects``: its validation of every property
cost 20–30 ms a figure, most of a dashboard's time, for the same JSON in the end.
"""

from __future__ import annotations

import json
from typing import Any

import plotly.io as pio

from dashboards.data import Words
from dashboards.text import esc, wrap

FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", '
    '"Noto Sans CJK SC", Tahoma, Arial, sans-serif'
)
INK = "#1b1b1b"
MUTED = "#4a4f55"
GRID = "#d5d9de"
# Bars on white: every colour has a contrast of at least 3:1 with the page (WCAG 1.4.11).
BAR = "#0b4f79"
# Groups of a breakdown: "All respondents" first, in dark grey, then distinct hues.
SERIES = ("#4a4f55", "#0b4f79", "#c75300", "#1d6b2f", "#7b3294", "#a4161a", "#00707a", "#8a6d00")
TITLE_LINE = 19
LINE = 16  # pixels a line of text takes, in titles and axis labels
LEGEND_ROW = 24
LEGEND_WIDTH = 640  # what a one-line legend may fill, in pixels (beside the axis labels)

Figure = dict[str, Any]  # Plotly's JSON figure format
# The template go.Figure() adds to every figure (Plotly's default look, under ours), as plain
# JSON. It is the same for every figure, so it is not in them: a page sends it once, and
# dashboards.js puts it in each figure's layout before drawing.
TEMPLATE = json.loads(pio.json.to_json_plotly(pio.templates[pio.templates.default]))


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]


def base_line(chart, words: Words) -> str:
    """ "n = 57", or what stands in its place."""
    if getattr(chart, "base_text", ""):
        return chart.base_text
    if chart.base is None:
        return words.fewer_respondents.format(threshold=chart.threshold)
    return words.base.format(n=f"{chart.base:,}")


def _title_text(chart) -> str:
    return wrap(chart.title, width=90, max_lines=3)


def new_figure(chart, words: Words) -> Figure:
    """A figure without traces yet, in the shared layout: title with base n, fonts, margins
    (and, from the page, ``TEMPLATE``)."""
    label = _title_text(chart)
    lines = label.count("<br>") + 2
    layout = {
        "title": {
            "text": f"{label}<br><span style='font-size:13px;color:{MUTED}'>"
            f"{esc(base_line(chart, words))}</span>",
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "pad": {"l": 6},  # room for glyphs that reach left of their start (Arabic)
            "yref": "container",
            "yanchor": "middle",  # Plotly anchors a title of several lines well only so
            "font": {"size": 15, "color": INK},
        },
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 20, "t": 20 + TITLE_LINE * lines, "b": 50, "pad": 4},
        "hoverlabel": {"font": {"family": FONT}},
        "showlegend": False,
        "xaxis": {"gridcolor": GRID, "zerolinecolor": MUTED, "automargin": True},
        "yaxis": {"automargin": True},
    }
    return {"data": [], "layout": layout}


def legend_on_top(fig: Figure, labels: list[str]) -> None:
    """A legend between the title and the plot, with room made for it: on one line if the
    labels fit, else one label a line (Plotly's own wrapping cannot be foreseen)."""
    width = sum(44 + 7.5 * len(label) for label in labels)
    one_line = width <= LEGEND_WIDTH
    layout = fig["layout"]
    layout["showlegend"] = True
    layout["legend"] = {
        "orientation": "h" if one_line else "v",
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yanchor": "bottom",
        "traceorder": "normal",
    }
    layout["margin"]["t"] += LEGEND_ROW * (1 if one_line else len(labels)) + 4


def label_lines(labels: list[str]) -> float:
    """How many lines the (wrapped) axis labels take, on average."""
    return sum(label.count("<br>") + 1 for label in labels) / max(1, len(labels))


def fit_height(fig: Figure, categories: int, per_category: int) -> None:
    """A height that gives each category of the axis ``per_category`` pixels."""
    margin = fig["layout"]["margin"]
    set_height(fig, int(margin["t"] + margin["b"] + 60 + categories * per_category))


def set_height(fig: Figure, height: int) -> None:
    """Set the figure's height, and place its title at the top of it."""
    title = fig["layout"]["title"]
    lines = title["text"].count("<br>") + 1
    middle = 8 + TITLE_LINE * lines / 2
    fig["layout"]["height"] = height
    title["y"] = 1 - middle / height


def category_height(labels: list[str], bars: int = 1) -> int:
    """Room for a category: its bars side by side, or the lines of its label (on average:
    a long label may reach into its neighbours' room), whichever is more."""
    per_bar = 20 if bars == 1 else 14
    return max(per_bar * bars + 10, int(LINE * label_lines(labels) + 14))


def annotate(fig: Figure, annotation: dict) -> None:
    fig["layout"].setdefault("annotations", []).append(annotation)


def note(fig: Figure, lines: list[str]) -> None:
    """Notes under the plot (hidden counts, hidden groups), already escaped."""
    if not lines:
        return
    annotate(
        fig,
        {
            "text": "<br>".join(lines),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -40,
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "font": {"size": 12, "color": MUTED},
        },
    )
    fig["layout"]["margin"]["b"] += 18 * len(lines)


def empty(fig: Figure, message: str) -> Figure:
    """A chart with nothing to draw: say why, in the middle. Returns ``fig``."""
    annotate(
        fig,
        {
            "text": esc(message),
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": 14, "color": MUTED},
        },
    )
    fig["layout"]["xaxis"]["visible"] = False
    fig["layout"]["yaxis"]["visible"] = False
    set_height(fig, fig["layout"]["margin"]["t"] + 120)
    return fig


def hidden_groups_note(groups: tuple[str, ...], threshold: int, words: Words) -> list[str]:
    """The note naming the groups not drawn because they have too few respondents."""
    if not groups:
        return []
    text = words.hidden_groups.format(threshold=threshold, groups=", ".join(groups))
    return [wrap(text, 110)]
