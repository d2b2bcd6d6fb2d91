"""Chart data of numbers (five-number summaries), rankings (rank scores) and free text (n only)."""

from __future__ import annotations

from dashboards.data import NumberChart, NumberRow, RankingChart, RankScore, RankSeries, TextSummary
from survey.analysis.context import Cells, Context, listed_codes
from survey.analysis.suppression import ALL, NO_SUM, SUMS_TO_BASE, Shown, is_small
from survey.answering.cleaning import NOT_AVAILABLE
from survey.questionnaires.model import Question


def number_chart(q: Question, ctx: Context) -> NumberChart:
    """The five-number summary and mean per group, with how many said "not available"."""
    cells: Cells = {
        ("", "value", group): summary.n
        for (key, group), summary in ctx.agg.numbers.items()
        if key == q.key and (group != ALL or not ctx.agg.breakdown)
    }
    for (item, code, group), n in ctx.cells[q.key].items():
        cells[(item, code, group)] = n
    shown = ctx.suppressed(q.key, [""], ["value", NOT_AVAILABLE], {"": SUMS_TO_BASE}, cells)
    rows = []
    for g in shown.shown_groups():
        n, s = shown.cell("", "value", g), ctx.agg.numbers.get((q.key, g))
        stats = (s.mean, s.minimum, s.q1, s.median, s.q3, s.maximum) if n and s else (None,) * 6
        na = shown.cell("", NOT_AVAILABLE, g)
        rows.append(NumberRow(ctx.group_label(g), n, *stats, not_available=na))
    return NumberChart(
        q.key,
        ctx.labels.text(q.label),
        shown.base(ALL),
        tuple(rows),
        ctx.threshold,
        unit=ctx.labels.text(q.unit),
        hidden_groups=ctx.hidden_labels(shown),
    )


def ranking_chart(q: Question, ctx: Context) -> RankingChart:
    """Per option: a score of (top + 1 − rank) points averaged over respondents, mean rank."""
    top = q.top or len(q.options)
    tallies = {(o, g): t for (key, o, g), t in ctx.agg.ranks.items() if key == q.key}
    cells: Cells = {}
    for (option, group), tally in tallies.items():
        cells[("first", option, group)] = tally.first
        cells[("ranked", option, group)] = tally.ranked
    codes = listed_codes(q, (o for o, _g in tallies))
    sums = {"first": SUMS_TO_BASE, "ranked": NO_SUM}
    shown = ctx.suppressed(q.key, ["first", "ranked"], codes, sums, cells)
    series = []
    for g in shown.shown_groups():
        scores = tuple(_score(q, ctx, shown, tallies, code, g, top) for code in codes)
        series.append(RankSeries(ctx.group_label(g), shown.base(g), scores))
    return RankingChart(
        q.key,
        ctx.labels.text(q.label),
        shown.base(ALL),
        tuple(series),
        ctx.threshold,
        top,
        ctx.hidden_labels(shown),
    )


def _score(q, ctx: Context, shown: Shown, tallies, code: str, group: str, top: int) -> RankScore:
    ranked, base = shown.cell("ranked", code, group), shown.base(group)
    groups = shown.table.groups if group == ALL and shown.table.groups else (group,)
    rank_sum = sum(tallies[(code, g)].rank_sum for g in groups if (code, g) in tallies)
    score = mean = None
    if ranked is not None and base:
        score = ((top + 1) * ranked - rank_sum) / base
        mean = rank_sum / ranked if ranked else None
    first = shown.cell("first", code, group)
    return RankScore(code, ctx.labels.code(q, code), score, mean, ranked, first)


def text_summary(q: Question, ctx: Context) -> TextSummary:
    """Free text: only how many answered (the answers are on the admins' page)."""
    base = sum(ctx.bases[q.key].values())
    return TextSummary(
        q.key,
        ctx.labels.text(q.label),
        None if is_small(base, ctx.threshold) else base,
        ctx.threshold,
    )
