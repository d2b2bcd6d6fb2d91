"""Chart data of the questions answered with codes: choices, yes/no, countries, dates (as bars),
scales and grids (as diverging bars)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from dashboards.data import Count, CountChart, CountRow
from survey import countries
from survey.analysis.context import Cells, Context, listed_codes
from survey.analysis.labels import region_name
from survey.analysis.suppression import (
    ALL,
    NO_SUM,
    SUMS_TO_BASE,
    SUMS_TO_ITEM,
    Shown,
    total_key,
)
from survey.countries import sort_key
from survey.questionnaires.model import Question


def _counts(shown: Shown, item: str, group: str, label: Callable[[str], str]) -> tuple:
    return tuple(
        Count(code, label(code), shown.cell(item, code, group), shown.percent(item, code, group))
        for code in shown.table.codes
    )


def _bars(q: Question, ctx: Context, codes: list[str], label, cells: Cells | None = None):
    sums = SUMS_TO_BASE if q.type != "multiple_choice" else NO_SUM
    shown = ctx.suppressed(q.key, [""], codes, {"": sums}, cells)
    rows = tuple(
        CountRow(ctx.group_label(g), _counts(shown, "", g, label), shown.base(g), key=g)
        for g in shown.shown_groups()
    )
    return CountChart(
        q.key,
        ctx.labels.text(q.label),
        shown.base(ALL),
        rows,
        ctx.threshold,
        hidden_groups=ctx.hidden_labels(shown),
    )


def choice_chart(q: Question, ctx: Context) -> CountChart:
    """Options, "other" and "don't know" as bars (also yes/no)."""
    codes = listed_codes(q, (code for _i, code, _g in ctx.cells[q.key]))
    return _bars(q, ctx, codes, lambda code: ctx.labels.code(q, code))


# Widths of the periods that dates are counted in: as narrow as keeps ten bars at most.
PERIODS = (1, 2, 5, 10, 20, 50, 100)
MAX_PERIODS = 10


def year_periods(years: Iterable[int]) -> int:
    """The narrowest period width (in years) that fits ``years`` into ten bars at most."""
    years = list(years)
    if not years:
        return 1
    for width in PERIODS:
        if max(years) // width - min(years) // width < MAX_PERIODS:
            return width
    return PERIODS[-1]


def date_chart(q: Question, ctx: Context) -> CountChart:
    """Dates counted by year, or by periods of years when they spread over many."""
    cells = ctx.cells[q.key]
    years = {int(code) for _i, code, _g in cells if code.isdigit()}
    width = year_periods(years)
    binned: Cells = defaultdict(int)
    for (item, code, group), n in cells.items():
        start = int(code) // width * width if code.isdigit() else code
        binned[(item, str(start), group)] += n
    starts = sorted({int(code) for _i, code, _g in binned})

    def label(code: str) -> str:
        return code if width == 1 else f"{code}–{int(code) + width - 1}"

    return _bars(q, ctx, [str(y) for y in starts], label, dict(binned))


def region_codes(present: Iterable[str]) -> list[str]:
    """The five UN regions by name in the page's language, then any other code (unknown)."""
    codes = sorted((r.code for r in countries.regions()), key=lambda c: sort_key(region_name(c)))
    return codes + sorted(set(present) - set(codes))


def country_chart(q: Question, ctx: Context) -> CountChart:
    """Countries answered, counted by UN region (a country's count would single people out)."""
    cells: Cells = defaultdict(int)
    for (item, code, group), n in ctx.cells[q.key].items():
        found = countries.country(code)
        cells[(item, found.region_code if found else "", group)] += n
    codes = region_codes({code for _i, code, _g in cells})
    return _bars(q, ctx, codes, region_name, dict(cells))


def scale_chart(q: Question, ctx: Context) -> CountChart:
    """A scale or grid as diverging bars: per statement (grids), per group (breakdowns)."""
    items = [s.key for s in q.statements] or [""]
    sums = SUMS_TO_ITEM if q.statements else SUMS_TO_BASE
    codes = listed_codes(q, (code for _i, code, _g in ctx.cells[q.key]))
    shown = ctx.suppressed(q.key, items, codes, dict.fromkeys(items, sums))
    label = lambda code: ctx.labels.code(q, code)  # noqa: E731
    rows = []
    for item in items:
        statement = ctx.labels.statement(q, item) if item else ""
        for g in shown.shown_groups():
            # A grid without breakdown: a bar per statement; with one, per statement and group.
            name, parent = ctx.group_label(g), statement
            if statement and not ctx.agg.breakdown:
                name, parent = statement, ""
            total = shown.get(total_key(shown.table, item, g))
            key = f"{item}:{g}" if ctx.agg.breakdown else item
            rows.append(CountRow(name, _counts(shown, item, g, label), total, parent, key))
    aside = tuple(c for c in codes if c not in {p.code for p in q.scale})
    return CountChart(
        q.key,
        ctx.labels.text(q.label),
        shown.base(ALL),
        tuple(rows),
        ctx.threshold,
        kind="diverging",
        aside=aside,
        hidden_groups=ctx.hidden_labels(shown),
    )
