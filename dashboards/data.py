"""What a chart shows: plain data, already counted, labelled and suppressed.

``None`` where a count would be is a hidden count ("fewer than 5"): the figures draw it as
absent, with a note. Texts are as written (the figures escape them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """The interface's own words on charts, in the page's language (English by default)."""

    base: str = "n = {n}"
    fewer: str = "fewer than {threshold}"
    fewer_respondents: str = "fewer than {threshold} respondents"
    fewer_short: str = "<{threshold}"
    hidden_note: str = "Counts under {threshold} are not shown (“<{threshold}”)."
    hidden_groups: str = "Not shown (fewer than {threshold} respondents): {groups}"
    respondents: str = "Respondents"
    countries: str = "Countries"
    percent_axis: str = "Share of answers"
    count_axis: str = "Answers"
    score_axis: str = "Rank score (higher is more important)"
    score_hover: str = "score {score}; mean rank {rank}; ranked {ranked}×; first {first}×"
    mean: str = "mean"
    before: str = "Before"
    after: str = "After"
    change_axis: str = "Change (points on the scale)"
    matched_axis: str = "Experts who answered both"
    text_direction: str = "ltr"


@dataclass(frozen=True)
class Count:
    """One bar segment: how many chose ``code``, and what share of the row's answers that is."""

    code: str
    label: str
    count: int | None
    percent: float | None = None


@dataclass(frozen=True)
class CountRow:
    """The counts of one group, or of one statement of a grid (``parent`` groups rows)."""

    label: str
    counts: tuple[Count, ...]
    base: int | None
    parent: str = ""
    key: str = ""
    note: str = ""  # a second line under the label (means before and after)


@dataclass(frozen=True)
class CountChart:
    """Counts of a choice, scale, grid, yes/no, country or date question.

    ``kind`` "bars": options on the axis, one series per row (a group). "diverging": one bar
    per row, the points of the scale stacked from ``negative`` (the lower points) to the
    upper ones, a middle point split around zero; ``aside`` codes (don't know) not stacked.
    """

    key: str
    title: str
    base: int | None
    rows: tuple[CountRow, ...]
    threshold: int
    kind: str = "bars"
    aside: tuple[str, ...] = ()
    hidden_groups: tuple[str, ...] = ()
    base_text: str = ""  # shown instead of "n = …" (before and after: two n's)


@dataclass(frozen=True)
class NumberRow:
    """The summary of one group's numbers (all None when hidden)."""

    label: str
    n: int | None
    mean: float | None = None
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None
    not_available: int | None = None


@dataclass(frozen=True)
class NumberChart:
    key: str
    title: str
    base: int | None
    rows: tuple[NumberRow, ...]
    threshold: int
    unit: str = ""
    hidden_groups: tuple[str, ...] = ()
    base_text: str = ""  # shown instead of "n = …" (before and after: two n's)


@dataclass(frozen=True)
class RankScore:
    """An option of a ranking in one group: its score, mean rank, times ranked and first."""

    code: str
    label: str
    score: float | None
    mean_rank: float | None
    ranked: int | None
    first: int | None


@dataclass(frozen=True)
class RankSeries:
    label: str
    base: int | None
    scores: tuple[RankScore, ...]


@dataclass(frozen=True)
class RankingChart:
    """A ranking: per option a score of (top + 1 − rank) points, averaged over respondents."""

    key: str
    title: str
    base: int | None
    series: tuple[RankSeries, ...]
    threshold: int
    top: int
    hidden_groups: tuple[str, ...] = ()
    base_text: str = ""  # shown instead of "n = …" (before and after: two n's)


@dataclass(frozen=True)
class TextSummary:
    """A free-text question: only how many answered it."""

    key: str
    title: str
    base: int | None
    threshold: int


@dataclass(frozen=True)
class RegionBar:
    label: str
    respondents: int | None
    countries: int | None


@dataclass(frozen=True)
class RegionChart:
    """Who responded: respondents and their countries, per UN region."""

    key: str
    title: str
    base: int | None
    regions: tuple[RegionBar, ...]
    threshold: int
