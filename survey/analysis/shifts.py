"""Pre/post charts: each paired question before and after side by side, and the change in
points among the experts who answered both (small counts hidden as everywhere)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from flask_babel import gettext

from dashboards.data import Count, CountChart, CountRow, NumberChart, RankingChart, TextSummary
from survey.analysis.comparison import SHIFT_TYPES, Pair, Transitions
from survey.analysis.labels import Labels
from survey.analysis.results import Chart
from survey.analysis.suppression import ALL, SUMS_TO_ITEM, CountTable, suppress_table, total_key


def _n(base: int | None, threshold: int) -> str:
    if base is None:
        return gettext("fewer than %(threshold)s", threshold=threshold)
    return f"{base:,}"


def base_text(before: Chart, after: Chart) -> str:
    """ "n = 80 before, 61 after"."""
    return gettext(
        "n = %(before)s before, %(after)s after",
        before=_n(before.base, before.threshold),
        after=_n(after.base, after.threshold),
    )


def _aligned(row: CountRow, codes: list[Count]) -> tuple[Count, ...]:
    """The row's counts in the order of ``codes`` (a code the row lacks counts zero)."""
    by_code = {c.code: c for c in row.counts}
    return tuple(by_code.get(c.code, Count(c.code, c.label, 0, 0.0)) for c in codes)


def _count_rows(before: CountChart, after: CountChart) -> tuple[CountRow, ...]:
    after_rows = {row.key: row for row in after.rows}
    rows: list[CountRow] = []
    for row in before.rows:
        twin = after_rows.get(row.key)
        parent = row.label if before.kind == "diverging" and row.key else ""
        rows.append(replace(row, label=gettext("Before"), parent=parent))
        if twin is not None:
            counts = _aligned(twin, list(row.counts))
            rows.append(replace(twin, label=gettext("After"), parent=parent, counts=counts))
    return tuple(rows)


def side_by_side(pair: Pair, before: Chart, after: Chart) -> Chart | None:
    """One chart with the answers before and after the meeting (None for free text)."""
    if isinstance(before, TextSummary):
        return None
    common = {"base_text": base_text(before, after), "base": before.base and after.base}
    if isinstance(before, CountChart):
        return replace(before, rows=_count_rows(before, after), hidden_groups=(), **common)
    if isinstance(before, NumberChart):
        rows = (
            *(replace(r, label=gettext("Before")) for r in before.rows),
            *(replace(r, label=gettext("After")) for r in after.rows),
        )
        return replace(before, rows=rows, **common)
    assert isinstance(before, RankingChart)
    series = (
        *(replace(s, label=gettext("Before")) for s in before.series),
        *(replace(s, label=gettext("After")) for s in after.series),
    )
    return replace(before, series=series, **common)


def change_label(change: int) -> str:
    if change == 0:
        return gettext("No change")
    return f"+{change}" if change > 0 else f"−{-change}"


def _changes(q, items: list[str], found: Transitions) -> tuple[dict, dict]:
    """Counts per (item, change, ALL), and per item the sums of the values before and after."""
    cells: dict = defaultdict(int)
    sums: dict = defaultdict(lambda: [0.0, 0.0])
    for item in items:
        for (before, after), n in found.counts.get((q.key, item), {}).items():
            cells[(item, str(int(after - before)), ALL)] += n
            sums[item][0] += before * n
            sums[item][1] += after * n
    return dict(cells), sums


def shift_chart(
    pair: Pair, found: Transitions, labels: Labels, threshold: int
) -> CountChart | None:
    """How many points each matched expert moved, per statement, as diverging bars."""
    q = pair.before
    if q.type not in SHIFT_TYPES:
        return None
    values = [float(p.code) for p in q.scale if p.code.lstrip("-").isdigit()]
    codes = [str(c) for c in sorted({int(a - b) for a in values for b in values})]
    items = [s.key for s in q.statements] or [""]
    cells, sums = _changes(q, items, found)
    matched = {ALL: found.matched.get(q.key, 0)}
    table = CountTable(
        tuple(items), tuple(codes), (), cells, matched, dict.fromkeys(items, SUMS_TO_ITEM)
    )
    shown = suppress_table(table, threshold)
    rows = []
    for item in items:
        total = shown.get(total_key(table, item, ALL))
        name = labels.statement(q, item) if item else gettext("Experts who answered both")
        note = ""
        if total:
            before_mean, after_mean = (value / total for value in sums[item])
            note = gettext("mean %(before).1f → %(after).1f", before=before_mean, after=after_mean)
        counts = tuple(
            Count(c, change_label(int(c)), shown.cell(item, c, ALL), shown.percent(item, c, ALL))
            for c in codes
        )
        rows.append(CountRow(name, counts, total, key=item, note=note))
    title = gettext(
        "Change among the experts who answered both: %(question)s", question=labels.text(q.label)
    )
    return CountChart(f"shift-{q.key}", title, shown.base(ALL), tuple(rows), threshold, "diverging")
