"""What every chart builder reads: one selection's aggregates indexed by question, and the
reader's labels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext

from survey.analysis.aggregates import Aggregates
from survey.analysis.labels import Labels
from survey.analysis.suppression import ALL, CountTable, Shown, suppress_table
from survey.questionnaires.model import Question

Cells = dict[tuple[str, str, str], int]


@dataclass
class Context:
    """The aggregates of one selection, indexed by question, with the reader's labels."""

    agg: Aggregates
    labels: Labels
    threshold: int
    cells: dict[str, Cells] = field(default_factory=dict)
    bases: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cells, self.bases = defaultdict(dict), defaultdict(dict)
        for (key, item, code, group), n in self.agg.counts.items():
            self.cells[key][(item, code, group)] = n
        for (key, group), n in self.agg.base.items():
            self.bases[key][group] = n

    def group_label(self, group: str) -> str:
        """The name of a group; "All respondents" for ``ALL``."""
        if group == ALL:
            return gettext("All respondents")
        return self.labels.group(self.agg.breakdown, group)

    def suppressed(self, key: str, items, codes, sums: dict, cells: Cells | None = None) -> Shown:
        """The suppressed count table of question ``key`` (``cells`` replace its counts)."""
        table = CountTable(
            tuple(items),
            tuple(codes),
            self.agg.group_keys(),
            self.cells[key] if cells is None else cells,
            self.bases[key],
            sums,
        )
        return suppress_table(table, self.threshold)

    def hidden_labels(self, shown: Shown) -> tuple[str, ...]:
        return tuple(self.group_label(g) for g in shown.hidden_groups())


def listed_codes(question: Question, present: Iterable[str]) -> list[str]:
    """The question's codes in order, then any counted code no longer listed (older versions)."""
    codes = [o.code for o in question.options] + [p.code for p in question.scale]
    if question.type == "yes_no":
        codes = ["yes", "no"]
    codes += [flag for flag in ("other", "dont_know") if getattr(question, flag)]
    return codes + sorted(set(present) - set(codes))
