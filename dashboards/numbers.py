"""Numbers as box plots drawn from precomputed quartiles, and rankings as rank scores."""

from __future__ import annotations

from dashboards import style
from dashboards.data import NumberChart, NumberRow, RankingChart, Words
from dashboards.text import esc, number, wrap


def boxes(chart: NumberChart, words: Words) -> style.Figure:
    """A box per group: quartiles, whiskers from the minimum to the maximum, and the mean."""
    fig = style.new_figure(chart, words)
    rows = [row for row in chart.rows if row.n]
    if chart.base is None or not rows:
        return style.empty(fig, words.fewer_respondents.format(threshold=chart.threshold))
    labels = [wrap(row.label, 30, 2) for row in rows]
    fig["data"].append(_box(rows, labels))
    fig["layout"]["yaxis"].update(autorange="reversed", type="category")
    fig["layout"]["xaxis"].update(title={"text": esc(chart.unit)}, rangemode="tozero")
    lines = [
        esc(f"{row.label}: {words.base.format(n=row.n)}, {words.mean} {number(row.mean)}")
        for row in rows
    ]
    lines += style.hidden_groups_note(chart.hidden_groups, chart.threshold, words)
    style.note(fig, lines)
    style.fit_height(fig, len(rows), max(50, style.category_height(labels)))
    return fig


def _box(rows: list[NumberRow], labels: list[str]) -> dict:
    """Boxes drawn from precomputed statistics: no answer leaves the database."""
    return {
        "type": "box",
        "y": labels,
        "q1": [row.q1 for row in rows],
        "median": [row.median for row in rows],
        "q3": [row.q3 for row in rows],
        "lowerfence": [row.minimum for row in rows],
        "upperfence": [row.maximum for row in rows],
        "mean": [row.mean for row in rows],
        "orientation": "h",
        "boxpoints": False,
        "name": "",
        "showlegend": False,
        "marker": {"color": style.BAR},
        "fillcolor": "#c6dbef",
        "line": {"color": style.BAR},
    }


def rank_scores(chart: RankingChart, words: Words) -> style.Figure:
    """A bar per option, longest for the most important; a breakdown's groups side by side."""
    fig = style.new_figure(chart, words)
    if chart.base is None or not chart.series:
        return style.empty(fig, words.fewer_respondents.format(threshold=chart.threshold))
    first = chart.series[0].scores
    order = sorted(range(len(first)), key=lambda i: -(first[i].score or 0))
    labels = [wrap(first[i].label, 38) for i in order]
    grouped = len(chart.series) > 1
    for index, series in enumerate(chart.series):
        colour = style.series_colour(index) if grouped else style.BAR
        scores = [series.scores[i] for i in order]
        fig["data"].append(_rank_bars(series.label, scores, labels, colour, chart.threshold, words))
    best = max((s.score or 0 for series in chart.series for s in series.scores), default=0)
    layout = fig["layout"]
    layout["yaxis"].update(autorange="reversed", type="category")
    layout["xaxis"].update(title={"text": esc(words.score_axis)}, range=[0, (best or 1) * 1.15])
    layout.update(barmode="group", bargap=0.2, bargroupgap=0.05)
    if grouped:
        style.legend_on_top(fig, [series.label for series in chart.series])
    bars_each = len(chart.series) if grouped else 1
    style.fit_height(fig, len(order), style.category_height(labels, bars_each))
    return fig


def _rank_bars(name: str, scores, labels, colour: str, threshold: int, words: Words) -> dict:
    fewer = esc(words.fewer.format(threshold=threshold))
    return {
        "type": "bar",
        "x": [s.score or 0 for s in scores],
        "y": labels,
        "orientation": "h",
        "name": esc(name),
        "text": [fewer if s.score is None else f"{s.score:.2f}" for s in scores],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": [_hover(s, words) for s in scores],
        "hovertemplate": "%{y}: %{customdata}<extra>" + esc(name) + "</extra>",
        "marker": {"color": colour},
    }


def _hover(score, words: Words) -> str:
    def shown(value, digits=1):
        return "–" if value is None else number(value, digits)

    return esc(
        words.score_hover.format(
            score=shown(score.score, 2),
            rank=shown(score.mean_rank),
            ranked=shown(score.ranked, 0),
            first=shown(score.first, 0),
        )
    )
