"""Chart data to what a page embeds: the figure as JSON, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from dashboards import figure, figure_json
from dashboards.data import (
    CountChart,
    NumberChart,
    RankingChart,
    RegionChart,
    TextSummary,
    Words,
)
from survey.i18n import RIGHT_TO_LEFT

# The table macro (templates/organiser/_tables.html) that describes each kind of chart data.
KINDS = {
    CountChart: "counts",
    NumberChart: "numbers",
    RankingChart: "ranking",
    RegionChart: "regions",
    TextSummary: "text",
}


def words(lang: str) -> Words:
    """The charts' own words, translated."""
    return Words(
        base=gettext("n = %(n)s", n="{n}"),
        fewer=gettext("fewer than %(threshold)s", threshold="{threshold}"),
        fewer_respondents=gettext("fewer than %(threshold)s respondents", threshold="{threshold}"),
        fewer_short=gettext("<%(threshold)s", threshold="{threshold}"),
        hidden_note=gettext(
            "Counts under %(threshold)s are not shown (“<%(threshold)s”).", threshold="{threshold}"
        ),
        hidden_groups=gettext(
            "Not shown (fewer than %(threshold)s respondents): %(groups)s",
            threshold="{threshold}",
            groups="{groups}",
        ),
        respondents=gettext("Respondents"),
        countries=gettext("Countries"),
        percent_axis=gettext("Share of answers"),
        count_axis=gettext("Answers"),
        score_axis=gettext("Rank score (higher is more important)"),
        score_hover=gettext(
            "score %(score)s; mean rank %(rank)s; ranked %(ranked)s×; first %(first)s×",
            score="{score}",
            rank="{rank}",
            ranked="{ranked}",
            first="{first}",
        ),
        mean=gettext("mean"),
        before=gettext("Before"),
        after=gettext("After"),
        text_direction="rtl" if lang in RIGHT_TO_LEFT else "ltr",
    )


@dataclass(frozen=True)
class Block:
    """A chart on a page: its data (for the table), its kind, and its figure as JSON."""

    id: str
    data: object
    kind: str
    json: str | None


def block(chart, key: str, chart_words: Words) -> Block:
    """The block of one chart; ``key`` names its element and its PNG download."""
    fig = figure(chart, chart_words)
    data = figure_json(fig, key) if fig is not None else None
    return Block(key, chart, KINDS[type(chart)], data)
