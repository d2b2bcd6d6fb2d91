"""Small-cell suppression: which counts a table may show, so that no one is singled out.

A count in (0, threshold) is hidden ("fewer than 5"). That alone is not enough: where the
cells of a line add up to a total that is shown, a single hidden cell is the total minus the
others. So whenever a line has exactly one hidden cell, the next smallest is hidden too
(complementary suppression), until no line has a lone hidden cell. A group whose base n is
hidden shows nothing at all. Pure functions: counts in, the set of hidden cells out.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# The group of every respondent: the totals of a breakdown, or the only group without one.
ALL = "*"

# How the codes of an item add up, in one group.
SUMS_TO_BASE = "base"  # one code per respondent: they add up to the base n (single choice)
SUMS_TO_ITEM = "item"  # one code per respondent who rated the item: to its own total (grid)
NO_SUM = None  # several codes per respondent: no sum rule (multiple choice)

Key = tuple


def is_small(count: int, threshold: int) -> bool:
    """Whether a count is too small to show (zero is not: it singles no one out)."""
    return 0 < count < threshold


def suppress(
    counts: Mapping[Hashable, int],
    lines: Iterable[Sequence[Hashable]],
    threshold: int,
    hidden: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The cells to hide: small ones, ``hidden`` ones, and complements for every line.

    A line lists cells bound by one equation (cells and their total): if exactly one of them
    is hidden, the smallest other non-zero cell of the line is hidden as well.
    """
    found = {key for key, count in counts.items() if is_small(count, threshold)}
    found |= set(hidden)
    lines = [tuple(line) for line in lines]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(key in found for key in line) != 1:
                continue
            partner = _next_smallest(line, counts, found)
            if partner is not None:
                found.add(partner)
                changed = True
    return found


def _next_smallest(
    line: Sequence[Hashable], counts: Mapping[Hashable, int], hidden: set[Hashable]
) -> Hashable | None:
    shown = [key for key in line if key not in hidden]
    # A non-zero cell if there is one: hiding a zero protects nothing that is not known.
    pool = [key for key in shown if counts.get(key, 0) > 0] or shown
    return min(pool, key=lambda key: counts.get(key, 0), default=None)


@dataclass(frozen=True)
class CountTable:
    """Counts of one question: cells by (item, code, group), and the base n of each group.

    ``groups`` are a breakdown's groups (empty without a breakdown). The totals over the
    groups (group ``ALL``) are derived here, as the page shows them beside the groups.
    ``item_sums`` says for each item how its codes add up (``SUMS_TO_BASE`` ...).
    """

    items: tuple[str, ...]
    codes: tuple[str, ...]
    groups: tuple[str, ...]
    cells: Mapping[tuple[str, str, str], int]
    bases: Mapping[str, int]
    item_sums: Mapping[str, str | None] = field(default_factory=dict)

    def all_groups(self) -> tuple[str, ...]:
        """The groups, then ``ALL``."""
        return (*self.groups, ALL)

    def cell(self, item: str, code: str, group: str) -> int:
        """The count of one cell, summed over the groups for ``ALL``."""
        if group == ALL and self.groups:
            return sum(self.cells.get((item, code, g), 0) for g in self.groups)
        return self.cells.get((item, code, group), 0)

    def base(self, group: str) -> int:
        """The base n of a group (of everyone for ``ALL``)."""
        if group == ALL and self.groups:
            return sum(self.bases.get(g, 0) for g in self.groups)
        return self.bases.get(group, 0)

    def item_total(self, item: str, group: str) -> int:
        """What the codes of ``item`` add up to in ``group`` (the base n if they have no sum)."""
        if self.item_sums.get(item) == SUMS_TO_ITEM:
            return sum(self.cell(item, code, group) for code in self.codes)
        return self.base(group)


def cell_key(item: str, code: str, group: str) -> Key:
    return ("cell", item, code, group)


def total_key(table: CountTable, item: str, group: str) -> Key:
    """The key of what the item's percentages are taken of: its own total, or the base n."""
    if table.item_sums.get(item) == SUMS_TO_ITEM:
        return ("total", item, group)
    return ("base", group)


def base_key(group: str) -> Key:
    return ("base", group)


def table_counts(table: CountTable) -> dict[Key, int]:
    """Every count the page may show, by key: cells, item totals and base n's."""
    counts: dict[Key, int] = {}
    for group in table.all_groups():
        counts[base_key(group)] = table.base(group)
        for item in table.items:
            counts[total_key(table, item, group)] = table.item_total(item, group)
            for code in table.codes:
                counts[cell_key(item, code, group)] = table.cell(item, code, group)
    return counts


def table_lines(table: CountTable) -> list[list[Key]]:
    """The equations between the counts: within each group, and across the groups."""
    lines: list[list[Key]] = []
    for group in table.all_groups():
        for item in table.items:
            if table.item_sums.get(item) is not NO_SUM:
                cells = [cell_key(item, code, group) for code in table.codes]
                lines.append([*cells, total_key(table, item, group)])
    if table.groups:
        across = [[base_key(g) for g in table.all_groups()]]
        for item in table.items:
            across.append([total_key(table, item, g) for g in table.all_groups()])
            for code in table.codes:
                across.append([cell_key(item, code, g) for g in table.all_groups()])
        lines.extend(across)
    return lines


@dataclass(frozen=True)
class Shown:
    """A count table after suppression: what each count shows (None: hidden)."""

    table: CountTable
    counts: Mapping[Key, int]
    hidden: frozenset[Key]

    def get(self, key: Key) -> int | None:
        return None if key in self.hidden else self.counts[key]

    def cell(self, item: str, code: str, group: str) -> int | None:
        """A cell's count, or None if hidden."""
        return self.get(cell_key(item, code, group))

    def base(self, group: str) -> int | None:
        """A group's base n, or None if hidden (then the whole group is)."""
        return self.get(base_key(group))

    def percent(self, item: str, code: str, group: str) -> float | None:
        """A cell as a percentage of its item's total; None if either is hidden."""
        count = self.cell(item, code, group)
        total = self.get(total_key(self.table, item, group))
        if count is None or not total:
            return None
        return 100 * count / total

    def shown_groups(self) -> tuple[str, ...]:
        """``ALL`` first, then the groups whose base n may be shown."""
        return tuple(g for g in (ALL, *self.table.groups) if self.base(g) is not None)

    def hidden_groups(self) -> tuple[str, ...]:
        """The groups hidden whole."""
        return tuple(g for g in self.table.groups if self.base(g) is None)


def suppress_table(table: CountTable, threshold: int) -> Shown:
    """The table with its small counts hidden; a group whose base n is hidden is hidden whole."""
    counts = table_counts(table)
    lines = table_lines(table)
    by_group: dict[str, list[Key]] = {}
    for key in counts:
        by_group.setdefault(key[-1], []).append(key)
    hidden: set[Key] = set()
    while True:
        hidden = suppress(counts, lines, threshold, hidden)
        whole = {k for g in table.all_groups() if base_key(g) in hidden for k in by_group[g]}
        if base_key(ALL) in hidden:
            whole = set(counts)  # too few respondents overall: no distribution at all
        if whole <= hidden:
            return Shown(table, counts, frozenset(hidden))
        hidden |= whole
