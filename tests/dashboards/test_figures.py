"""Chart data in, Plotly figure (as plain JSON data) out: pure, without a server or a database."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import dashboards
from dashboards.counts import diverging_colours
from dashboards.data import (
    Count,
    CountChart,
    CountRow,
    NumberChart,
    NumberRow,
    RankingChart,
    RankScore,
    RankSeries,
    RegionBar,
    RegionChart,
    TextSummary,
    Words,
)
from dashboards.render import FIGURES, figure, figure_json, template_json
from dashboards.style import TEMPLATE

HOSTILE = "<img src=x onerror=alert(1)>"
PACKAGE = Path(dashboards.__file__).parent


def _choice(label: str = "Police", rows: int = 1) -> CountChart:
    counts = (
        Count("police", label, 12, 60.0),
        Count("customs", "Customs", None, None),
        Count("other", "Other", 0, 0.0),
    )
    groups = ["All respondents", "Europe", "Africa"][:rows]
    return CountChart(
        "lead",
        f"Which agency leads? {label}",
        20,
        tuple(CountRow(name, counts, 20, key=name) for name in groups),
        threshold=5,
    )


def _scale(points: int = 5) -> CountChart:
    counts = tuple(Count(str(i), f"Point {i}", 10, 10.0) for i in range(1, points + 1))
    counts += (Count("dont_know", "Don't know", 3, 3.0),)
    return CountChart(
        "useful",
        "The session was useful",
        53,
        (CountRow("All respondents", counts, 53),),
        threshold=5,
        kind="diverging",
        aside=("dont_know",),
    )


def test_every_kind_of_chart_data_has_a_figure():
    assert set(FIGURES) == {CountChart, NumberChart, RankingChart, RegionChart, TextSummary}


def test_dashboards_imports_neither_flask_nor_sqlalchemy_nor_the_app():
    forbidden = {"flask", "flask_babel", "sqlalchemy", "survey", "werkzeug", "jinja2"}
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"


def test_choice_bars_show_counts_percentages_and_the_base_n():
    fig = figure(_choice())
    [bars] = fig["data"]
    assert bars["type"] == "bar"
    assert list(bars["x"]) == [12, 0, 0]
    assert bars["text"][0] == "12 (60%)"
    assert bars["text"][1] == "fewer than 5"  # drawn as absent, with the note
    assert "n = 20" in fig["layout"]["title"]["text"]
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "Counts under 5 are not shown" in notes


def test_a_breakdown_draws_one_series_per_group_in_percent():
    fig = figure(_choice(rows=3))
    assert [trace["name"] for trace in fig["data"]] == ["All respondents", "Europe", "Africa"]
    assert list(fig["data"][1]["x"]) == [60.0, 0, 0]
    assert fig["layout"]["showlegend"] is True


def test_too_few_respondents_draw_no_distribution():
    chart = CountChart("lead", "Which agency leads?", None, (), threshold=5)
    fig = figure(chart)
    assert not fig["data"]
    assert "fewer than 5 respondents" in fig["layout"]["title"]["text"]
    assert "fewer than 5 respondents" in fig["layout"]["annotations"][0]["text"]


def test_diverging_bars_put_lower_points_left_and_split_the_middle():
    fig = figure(_scale(5))
    by_name: dict[str, list[float]] = {}
    for trace in fig["data"]:
        by_name.setdefault(trace["name"], []).append(trace["x"][0])
    assert by_name["Point 1"] == [-10.0] and by_name["Point 2"] == [-10.0]
    assert sorted(by_name["Point 3"]) == [-5.0, 5.0]  # the neutral point, centred
    assert by_name["Point 4"] == [10.0] and by_name["Point 5"] == [10.0]
    assert "Don't know" not in by_name  # not on the scale: in the note and the table
    assert fig["layout"]["barmode"] == "relative"
    # The lowest point is stacked outermost: after the points nearer the centre.
    lower = [t["name"] for t in fig["data"] if t["x"][0] < 0]
    assert lower == ["Point 3", "Point 2", "Point 1"]


def test_an_even_scale_has_no_middle():
    fig = figure(_scale(4))
    assert [t["x"][0] for t in fig["data"]] == [-10.0, -10.0, 10.0, 10.0]


def test_diverging_colours_have_a_grey_middle():
    assert diverging_colours(5)[2] == "#bdbdbd"
    assert len(diverging_colours(11)) == 11


def test_grid_rows_grouped_under_their_statement():
    counts = (Count("1", "Low", 6, 50.0), Count("2", "High", 6, 50.0))
    rows = (
        CountRow("All respondents", counts, 12, parent="Ports"),
        CountRow("Europe", counts, 12, parent="Ports"),
    )
    chart = CountChart("grid", "Topics", 24, rows, 5, kind="diverging")
    [first, *_] = figure(chart)["data"]
    assert list(first["y"][0]) == ["Ports", "Ports"]  # a two-level axis
    assert list(first["y"][1]) == ["All respondents", "Europe"]


def test_numbers_as_a_box_from_precomputed_quartiles():
    chart = NumberChart(
        "cases",
        "Cases last year",
        40,
        (
            NumberRow("All respondents", 38, 12.5, 0, 3, 8, 15, 90, not_available=2),
            NumberRow("Europe", None),
        ),
        threshold=5,
        unit="cases",
        hidden_groups=("Europe",),
    )
    fig = figure(chart)
    [box] = fig["data"]
    assert box["type"] == "box"
    assert list(box["q1"]) == [3] and list(box["median"]) == [8] and list(box["q3"]) == [15]
    assert list(box["lowerfence"]) == [0] and list(box["upperfence"]) == [90]
    assert list(box["mean"]) == [12.5]
    assert fig["layout"]["xaxis"]["title"]["text"] == "cases"
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "Europe" in notes


def test_rankings_sorted_by_score():
    scores = (
        RankScore("a", "Data", 1.2, 2.0, 30, 10),
        RankScore("b", "Corruption", 2.4, 1.5, 40, 20),
        RankScore("c", "Laws", None, None, None, None),
    )
    chart = RankingChart("rank", "Challenges", 50, (RankSeries("All", 50, scores),), 5, top=3)
    [bars] = figure(chart)["data"]
    assert list(bars["y"])[:2] == ["Corruption", "Data"]
    assert list(bars["text"]) == ["2.40", "1.20", "fewer than 5"]


def test_regions_show_respondents_and_countries():
    chart = RegionChart(
        "regions",
        "Respondents by UN region",
        30,
        (RegionBar("Africa", 20, 9), RegionBar("Europe", None, None), RegionBar("Asia", 0, 0)),
        5,
    )
    fig = figure(chart)
    assert [t["name"] for t in fig["data"]] == ["Respondents", "Countries"]
    assert list(fig["data"][0]["y"]) == ["Africa", "Europe"]  # no respondents, no bar
    assert list(fig["data"][0]["text"]) == ["20", "fewer than 5"]


def _every_kind_of_figure() -> dict[str, CountChart | NumberChart | RankingChart | RegionChart]:
    numbers = NumberChart("n", "Cases", 9, (NumberRow("All", 9, 2.5, 0, 1, 2, 4, 7),), 5, "cases")
    scores = (RankScore("a", "Data", 1.2, 2.0, 30, 10), RankScore("b", "Laws", None, *[None] * 3))
    ranking = RankingChart(
        "r", "R", 50, (RankSeries("All", 50, scores), RankSeries("Asia", 9, scores)), 5, 2
    )
    counts = (Count("1", "Low", 6, 50.0), Count("2", "High", 6, 50.0))
    grid = CountChart(
        "g", "Topics", 24, (CountRow("All", counts, 12, parent="Ports"),), 5, "diverging"
    )
    return {
        "bars": _choice(),
        "grouped bars": _choice(rows=3),
        "empty": CountChart("lead", "Which agency leads?", None, (), threshold=5),
        "odd scale": _scale(5),
        "scale of sampled colours": _scale(8),
        "grid": grid,
        "numbers": numbers,
        "ranking": ranking,
        "regions": RegionChart("g", "G", 30, (RegionBar("Africa", 20, 9),), 5),
    }


@pytest.mark.parametrize("name", list(_every_kind_of_figure()))
def test_figures_are_what_plotly_itself_makes_of_them(name):
    """Built as plain dicts, unchecked: Plotly's graph objects check every property name and
    value (a typo would raise). The template comes from the page (see template_json)."""
    fig = figure(_every_kind_of_figure()[name])
    assert "template" not in fig["layout"]
    drawn = {**fig, "layout": {**fig["layout"], "template": TEMPLATE}}  # as dashboards.js does
    checked = json.loads(pio.to_json(go.Figure(drawn)))
    assert json.loads(figure_json(drawn, "x"))["figure"] == checked


def test_the_template_is_the_one_plotly_adds_to_every_figure():
    added = json.loads(pio.to_json(go.Figure()))["layout"]["template"]
    assert added == TEMPLATE
    text = template_json()
    assert json.loads(text) == added and "<" not in text and ">" not in text


def test_free_text_has_no_figure():
    assert figure(TextSummary("comments", "Comments", 12, 5)) is None


def test_words_are_the_callers(monkeypatch):
    words = Words(base="n = {n} (fr)", fewer="moins de {threshold}")
    fig = figure(_choice(), words)
    assert "n = 20 (fr)" in fig["layout"]["title"]["text"]
    assert fig["data"][0]["text"][1] == "moins de 5"


@pytest.mark.parametrize("rows", [1, 3])
def test_text_from_questionnaires_and_answers_is_escaped_everywhere(rows):
    chart = _choice(HOSTILE, rows)
    chart = CountChart(
        chart.key,
        chart.title,
        chart.base,
        tuple(
            CountRow(HOSTILE if i else row.label, row.counts, row.base)
            for i, row in enumerate(chart.rows)
        ),
        5,
        hidden_groups=(HOSTILE,),
    )
    text = figure_json(figure(chart), "lead")
    assert "<img" not in text and "<script" not in text.lower()
    spec = json.loads(text)
    decoded = json.dumps(spec)
    assert "<img" not in decoded  # not even once the JSON escapes are undone
    assert "&lt;img src=x onerror=alert(1)&gt;" in decoded


def test_escaping_in_scales_rankings_numbers_and_regions():
    hostile_scale = CountChart(
        "s",
        HOSTILE,
        9,
        (CountRow(HOSTILE, (Count("1", HOSTILE, 9, 100.0),), 9, parent=HOSTILE),),
        5,
        kind="diverging",
    )
    ranking = RankingChart(
        "r", HOSTILE, 9, (RankSeries(HOSTILE, 9, (RankScore("a", HOSTILE, 1, 1, 9, 9),)),), 5, 1
    )
    numbers = NumberChart("n", HOSTILE, 9, (NumberRow(HOSTILE, 9, 1, 1, 1, 1, 1, 1),), 5, HOSTILE)
    regions = RegionChart("g", HOSTILE, 9, (RegionBar(HOSTILE, 9, 1),), 5)
    for chart in (hostile_scale, ranking, numbers, regions):
        decoded = json.dumps(json.loads(figure_json(figure(chart), "x")))
        assert "<img" not in decoded, type(chart).__name__


def test_the_json_cannot_close_its_script_element():
    chart = _choice("</script><script>alert(1)</script>")
    text = figure_json(figure(chart), "lead")
    assert "</script" not in text.lower() and "<" not in text and ">" not in text
    assert json.loads(text)["figure"]["data"]


def test_the_png_download_is_kept():
    spec = json.loads(figure_json(figure(_choice()), "lead_agency"))
    config = spec["config"]
    assert config["displayModeBar"] is True
    assert "toImage" not in config["modeBarButtonsToRemove"]
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "scale": 2,
        "filename": "lead_agency",
    }


def test_the_json_is_strict_for_json_parse():
    """As Plotly's own encoder: NaN (which JSON lacks) as null, a Decimal as a number."""
    from decimal import Decimal

    row = NumberRow("All", 9, float("nan"), Decimal("1.5"), 2, 3, 4, 5)
    text = figure_json(figure(NumberChart("n", "NaN", 9, (row,), 5)), "x")

    def refuse(constant):
        raise AssertionError(f"{constant} in the JSON")

    [box] = json.loads(text, parse_constant=refuse)["figure"]["data"]
    assert box["mean"] == [None] and box["lowerfence"] == [1.5]
    assert "NaN" in json.loads(text)["figure"]["layout"]["title"]["text"]  # a title keeps it
