"""Aggregates made presentable: labelled, suppressed, as the chart data of ``dashboards``.

One builder per question type. The same results feed the dashboard's charts and tables and
the aggregated exports, so their numbers (and what they hide) are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext

from dashboards.data import (
    CountChart,
    NumberChart,
    RankingChart,
    RegionBar,
    RegionChart,
    TextSummary,
)
from survey.analysis.aggregates import Aggregates
from survey.analysis.context import Context
from survey.analysis.count_charts import (
    choice_chart,
    country_chart,
    date_chart,
    region_codes,
    scale_chart,
)
from survey.analysis.labels import Labels, region_name
from survey.analysis.stat_charts import number_chart, ranking_chart, text_summary
from survey.analysis.suppression import ALL, SUMS_TO_BASE, CountTable, suppress_table
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition

Chart = CountChart | NumberChart | RankingChart | TextSummary
Cells = dict[tuple[str, str, str], int]


@dataclass(frozen=True)
class QuestionResult:
    """A question with its chart data, and the key of the section it is asked in."""

    question: Question
    section: str
    chart: Chart


BUILDERS: dict[str, Callable[[Question, Context], Chart]] = {
    "single_choice": choice_chart,
    "multiple_choice": choice_chart,
    "scale": scale_chart,
    "grid": scale_chart,
    "number": number_chart,
    "short_text": text_summary,
    "long_text": text_summary,
    "country": country_chart,
    "ranking": ranking_chart,
    "date": date_chart,
    "yes_no": choice_chart,
}


def question_results(
    definition: Definition, agg: Aggregates, labels: Labels, threshold: int
) -> list[QuestionResult]:
    """The chart data of every question, in the questionnaire's order."""
    ctx = Context(agg, labels, threshold)
    return [
        QuestionResult(q, section.key, BUILDERS[q.type](q, ctx))
        for section in definition.sections
        for q in section.questions
    ]


def region_chart(agg: Aggregates, threshold: int) -> RegionChart:
    """Respondents and their countries per UN region, small counts hidden."""
    codes = region_codes(agg.regions)
    cells = {("", code, ALL): tally.respondents for code, tally in agg.regions.items()}
    table = CountTable(("",), tuple(codes), (), cells, {ALL: agg.respondents}, {"": SUMS_TO_BASE})
    shown = suppress_table(table, threshold)
    bars = []
    for code in codes:
        respondents = shown.cell("", code, ALL)
        tally = agg.regions.get(code)
        countries_n = tally.countries if tally and respondents is not None else None
        bars.append(RegionBar(region_name(code), respondents, countries_n))
    title = gettext("Respondents by UN region")
    return RegionChart("regions", title, shown.base(ALL), tuple(bars), threshold)
