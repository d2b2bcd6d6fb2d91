"""The aggregated CSV: the dashboard's own figures, one row per question × option × group.

It is made from the very results the dashboard draws (``survey.services.dashboards``), so
its counts, and the counts it hides as "fewer than 5", are the dashboard's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dashboards.data import CountChart, NumberChart, RankingChart, RegionChart, TextSummary
from survey.services.dashboards import Dashboard

HEADER = [
    "question_key",
    "question",
    "type",
    "statement",
    "group",
    "option_code",
    "option",
    "count",
    "percent",
    "base_n",
    "mean",
    "median",
    "q1",
    "q3",
    "minimum",
    "maximum",
    "not_available",
    "share_agreeing",
    "mean_rank",
    "rank_score",
    "times_ranked_first",
]
ALL_RESPONDENTS = "All respondents"


def aggregated_rows(page: Dashboard) -> Iterator[list[Any]]:
    """The header, who responded by region, then every question's figures in order."""
    yield HEADER
    hidden = f"<{page.regions.threshold}"
    yield from _regions(page.regions, hidden)
    for result in page.results:
        chart, question = result.chart, result.question
        lead = [question.key, chart.title, question.type]
        if isinstance(chart, CountChart):
            yield from _counts(lead, chart, question.type == "grid", hidden)
        elif isinstance(chart, NumberChart):
            yield from _numbers(lead, chart, hidden)
        elif isinstance(chart, RankingChart):
            yield from _rankings(lead, chart, hidden)
        elif isinstance(chart, TextSummary):
            yield _row(lead, base_n=_n(chart.base, hidden))


def _row(lead: list, **cells: Any) -> list[Any]:
    values = dict(zip(HEADER, [*lead, *[""] * (len(HEADER) - len(lead))], strict=True))
    values.update(cells)
    return [values[name] for name in HEADER]


def _n(count: int | None, hidden: str) -> Any:
    return hidden if count is None else count


def _regions(chart: RegionChart, hidden: str) -> Iterator[list[Any]]:
    lead = ["respondents", chart.title, "region"]
    for bar in chart.regions:
        yield _row(
            lead, group=bar.label, count=_n(bar.respondents, hidden), base_n=_n(chart.base, hidden)
        )


def _counts(lead: list, chart: CountChart, is_grid: bool, hidden: str) -> Iterator[list[Any]]:
    scale_codes = [c.code for c in chart.rows[0].counts if c.code.isdigit()] if chart.rows else []
    for row in chart.rows:
        statement, group = (
            (row.parent or row.label, row.label if row.parent else ALL_RESPONDENTS)
            if is_grid
            else ("", row.label)
        )
        summary = _scale_summary(row, scale_codes) if chart.kind == "diverging" else {}
        for count in row.counts:
            yield _row(
                lead,
                statement=statement,
                group=group,
                option_code=count.code,
                option=count.label,
                count=_n(count.count, hidden),
                percent="" if count.percent is None else round(count.percent, 1),
                base_n=_n(row.base, hidden),
                **summary,
            )
    for name in chart.hidden_groups:
        yield _row(lead, group=name, count=hidden, base_n=hidden)


def _scale_summary(row, points: list[str]) -> dict[str, Any]:
    """Mean point and share in the upper half, only when no count of the row is hidden."""
    counts = {c.code: c.count for c in row.counts if c.code in points}
    if not points or any(n is None for n in counts.values()) or not sum(counts.values()):
        return {}
    total = sum(counts.values())
    mean = sum(int(code) * n for code, n in counts.items()) / total
    upper = [code for code in points if int(code) > (len(points) + 1) / 2]
    return {
        "mean": round(mean, 2),
        "share_agreeing": round(100 * sum(counts[c] for c in upper) / total, 1),
    }


def _numbers(lead: list, chart: NumberChart, hidden: str) -> Iterator[list[Any]]:
    for row in chart.rows:
        yield _row(
            lead,
            group=row.label,
            base_n=_n(row.n, hidden),
            mean=_r(row.mean),
            median=_r(row.median),
            q1=_r(row.q1),
            q3=_r(row.q3),
            minimum=_r(row.minimum),
            maximum=_r(row.maximum),
            not_available=_n(row.not_available, hidden) if row.n is not None else "",
        )
    for name in chart.hidden_groups:
        yield _row(lead, group=name, base_n=hidden)


def _rankings(lead: list, chart: RankingChart, hidden: str) -> Iterator[list[Any]]:
    for series in chart.series:
        for score in series.scores:
            yield _row(
                lead,
                group=series.label,
                option_code=score.code,
                option=score.label,
                count=_n(score.ranked, hidden),
                base_n=_n(series.base, hidden),
                mean_rank=_r(score.mean_rank),
                rank_score=_r(score.score),
                times_ranked_first=_n(score.first, hidden),
            )
    for name in chart.hidden_groups:
        yield _row(lead, group=name, base_n=hidden)


def _r(value: float | None) -> Any:
    return "" if value is None else round(value, 2)
