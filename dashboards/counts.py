"""Counts as bars: horizontal bars for choices, diverging stacked bars for scales and grids."""

from __future__ import annotations

from plotly.colors import sample_colorscale

from dashboards import style
from dashboards.data import Count, CountChart, CountRow, RegionChart, Words
from dashboards.text import esc, number, wrap

# Lower points red, upper points blue, the middle grey: ColorBrewer RdBu, darkened at the
# ends so that white text on them keeps a contrast of 4.5:1.
DIVERGING = {
    2: ("#b2182b", "#2166ac"),
    3: ("#b2182b", "#bdbdbd", "#2166ac"),
    4: ("#b2182b", "#ef8a62", "#67a9cf", "#2166ac"),
    5: ("#b2182b", "#ef8a62", "#bdbdbd", "#67a9cf", "#2166ac"),
    6: ("#b2182b", "#d6604d", "#f4a582", "#92c5de", "#4393c3", "#2166ac"),
    7: ("#b2182b", "#d6604d", "#f4a582", "#bdbdbd", "#92c5de", "#4393c3", "#2166ac"),
    9: (
        "#67001f",
        "#b2182b",
        "#d6604d",
        "#f4a582",
        "#bdbdbd",
        "#92c5de",
        "#4393c3",
        "#2166ac",
        "#053061",
    ),
}
DARK = {"#67001f", "#b2182b", "#d6604d", "#4393c3", "#2166ac", "#053061"}


def _bar_text(count: Count, words: Words, threshold: int, percent_first: bool) -> str:
    if count.count is None:
        return esc(words.fewer.format(threshold=threshold))
    if count.count == 0 and percent_first:
        return "0"
    share = f"{number(count.percent, 0)}%" if count.percent is not None else ""
    if percent_first and share:
        return f"{share} ({count.count:,})"
    return f"{count.count:,} ({share})" if share else f"{count.count:,}"


def _hidden_note(chart: CountChart, words: Words) -> list[str]:
    lines = []
    if any(c.count is None for row in chart.rows for c in row.counts):
        lines.append(esc(words.hidden_note.format(threshold=chart.threshold)))
    lines += style.hidden_groups_note(chart.hidden_groups, chart.threshold, words)
    return lines


def bars(chart: CountChart, words: Words) -> style.Figure:
    """Horizontal bars, an option per bar; a breakdown's groups side by side, in percent."""
    fig = style.new_figure(chart, words)
    if chart.base is None or not chart.rows:
        return style.empty(fig, words.fewer_respondents.format(threshold=chart.threshold))
    grouped = len(chart.rows) > 1
    labels = [wrap(c.label, 38) for c in chart.rows[0].counts]
    longest = 0.0
    for index, row in enumerate(chart.rows):
        trace = _bar_trace(row, labels, index, grouped, chart.threshold, words)
        fig["data"].append(trace)
        longest = max([longest, *trace["x"]])  # a question nobody answered has no bars
    layout = fig["layout"]
    layout["yaxis"].update(autorange="reversed", type="category")
    layout["xaxis"].update(
        title={"text": esc(words.percent_axis if grouped else words.count_axis)},
        ticksuffix="%" if grouped else "",
        # Room on the right for the numbers written after the longest bar.
        range=[0, (longest or 1) * 1.18],
    )
    layout.update(barmode="group", bargap=0.2, bargroupgap=0.05)
    if grouped:
        style.legend_on_top(fig, [row.label for row in chart.rows])
    style.note(fig, _hidden_note(chart, words))
    bars_each = len(chart.rows) if grouped else 1
    style.fit_height(fig, len(labels), style.category_height(labels, bars_each))
    return fig


def _bar_trace(
    row: CountRow, labels, index: int, grouped: bool, threshold: int, words: Words
) -> dict:
    values = [(c.percent if grouped else c.count) or 0 for c in row.counts]
    text = [_bar_text(c, words, threshold, grouped) for c in row.counts]
    if grouped:  # many bars: short marks for hidden counts, none for zeros
        short = esc(words.fewer_short.format(threshold=threshold))
        text = [
            short if c.count is None else "" if not c.count else t
            for c, t in zip(row.counts, text, strict=True)
        ]
    return {
        "type": "bar",
        "x": values,
        "y": labels,
        "orientation": "h",
        "name": esc(row.label),
        "text": text,
        "customdata": [_bar_text(c, words, threshold, grouped) for c in row.counts],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": style.series_colour(index) if grouped else style.BAR},
        "hovertemplate": "%{y}: %{customdata}<extra>" + esc(row.label) + "</extra>",
    }


def diverging_colours(points: int) -> tuple[str, ...]:
    """Colours for a scale of ``points`` points, from the lowest to the highest."""
    if points in DIVERGING:
        return DIVERGING[points]
    if points < 2:
        return ("#bdbdbd",) * points
    return tuple(sample_colorscale("RdBu", [i / (points - 1) for i in range(points)]))


def diverging(chart: CountChart, words: Words) -> style.Figure:
    """Stacked bars centred on zero: lower points to the left, upper ones to the right."""
    fig = style.new_figure(chart, words)
    rows = [row for row in chart.rows if row.base]
    if chart.base is None or not rows:
        return style.empty(fig, words.fewer_respondents.format(threshold=chart.threshold))
    points = [c for c in rows[0].counts if c.code not in chart.aside]
    colours = diverging_colours(len(points))
    y = _row_axis(rows)
    middle = len(points) // 2 if len(points) % 2 else None
    # Traces nearest to zero first: relative stacking puts the first trace at the centre.
    lower = list(range(len(points) // 2 - 1, -1, -1))
    upper = list(range((len(points) + 1) // 2, len(points)))
    if middle is not None:
        lower, upper = [middle, *lower], [middle, *upper]
    for side, indexes in ((-1, lower), (1, upper)):
        for i in indexes:
            half = 0.5 if i == middle else 1.0
            segment = _segment(rows, i, points[i], colours[i], (side, half), chart.threshold, words)
            fig["data"].append({**segment, "y": y})
    _diverging_axes(fig, rows, chart, words)
    style.legend_on_top(fig, [p.label for p in points])
    style.note(fig, _hidden_note(chart, words) + _aside_note(chart, rows))
    labels = [_row_label(row) for row in rows]
    style.fit_height(fig, len(rows), max(30, style.category_height(labels)))
    return fig


def _row_label(row: CountRow) -> str:
    label = wrap(row.label, 32, 2)
    if row.note:
        label += f"<br><span style='font-size:11px'>{esc(row.note)}</span>"
    return label


def _row_axis(rows: list[CountRow]):
    labels = [_row_label(row) for row in rows]
    if any(row.parent for row in rows):
        return [[wrap(row.parent, 28, 3) for row in rows], labels]
    return labels


def _segment(
    rows, i: int, point: Count, colour: str, side_half, threshold: int, words: Words
) -> dict:
    side, half = side_half
    counts = [row.counts[i] for row in rows]
    # A middle point is drawn as two halves, one each side of zero; its share is written once.
    labelled = side > 0 or half == 1
    text = [
        f"{number(c.percent, 0)}%" if labelled and c.percent is not None and c.percent >= 8 else ""
        for c in counts
    ]
    return {
        "type": "bar",
        "x": [side * (c.percent or 0) * half for c in counts],
        "orientation": "h",
        "name": esc(point.label),
        "legendgroup": point.code,
        "showlegend": side > 0 or half == 1,
        "legendrank": i,
        "marker": {"color": colour, "line": {"width": 0}},
        "text": text,
        "textposition": "inside",
        "insidetextanchor": "middle",
        "textangle": 0,  # never turned on its side: hidden instead where it does not fit
        "textfont": {"color": "#ffffff" if colour in DARK else style.INK},
        "customdata": [_bar_text(c, words, threshold, True) for c in counts],
        "hovertemplate": "%{customdata}<extra>" + esc(point.label) + "</extra>",
    }


def _diverging_axes(fig: style.Figure, rows, chart: CountChart, words: Words) -> None:
    ticks = [-100, -50, 0, 50, 100]
    layout = fig["layout"]
    layout["xaxis"].update(
        range=[-100, 100],
        tickvals=ticks,
        ticktext=[f"{abs(t)}%" for t in ticks],
        title={"text": esc(words.percent_axis)},
        zeroline=True,
        zerolinewidth=2,
    )
    layout["yaxis"]["autorange"] = "reversed"
    layout.update(barmode="relative", bargap=0.3, uniformtext={"minsize": 10, "mode": "hide"})


def _aside_note(chart: CountChart, rows: list[CountRow]) -> list[str]:
    labels = [c.label for c in rows[0].counts if c.code in chart.aside]
    return [wrap("+ " + ", ".join(labels) + " (table)", 110)] if labels else []


def regions(chart: RegionChart, words: Words) -> style.Figure:
    """Respondents and the countries they come from, per UN region."""
    fig = style.new_figure(chart, words)
    bars_ = [bar for bar in chart.regions if bar.respondents != 0]
    if chart.base is None or not bars_:
        return style.empty(fig, words.fewer_respondents.format(threshold=chart.threshold))
    labels = [esc(bar.label) for bar in bars_]
    series = (
        (words.respondents, [bar.respondents for bar in bars_]),
        (words.countries, [bar.countries for bar in bars_]),
    )
    for index, (name, values) in enumerate(series):
        colour = style.series_colour(index + 1)
        fig["data"].append(_count_bars(name, values, labels, colour, chart.threshold, words))
    layout = fig["layout"]
    layout["yaxis"].update(autorange="reversed", type="category")
    most = max(bar.respondents or 0 for bar in bars_)
    layout["xaxis"]["range"] = [0, most * 1.15]
    layout.update(barmode="group", bargap=0.2)
    style.legend_on_top(fig, [words.respondents, words.countries])
    style.fit_height(fig, len(bars_), style.category_height(labels, 2))
    return fig


def _count_bars(name: str, values, labels, colour: str, threshold: int, words: Words) -> dict:
    fewer = esc(words.fewer.format(threshold=threshold))
    return {
        "type": "bar",
        "x": [v or 0 for v in values],
        "y": labels,
        "orientation": "h",
        "name": esc(name),
        "text": [fewer if v is None else f"{v:,}" for v in values],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": colour},
        "hovertemplate": "%{y}: %{text}<extra>" + esc(name) + "</extra>",
    }
