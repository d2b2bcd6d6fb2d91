"""The columns of a question in the raw CSV, and its answer as cells; one entry per type.

A question's columns are named from its key: ``key`` for one value, ``key.code`` for each
option of a multiple choice (0/1), ``key.statement`` for each row of a grid, ``key.option``
for each rank of a ranking, ``key.other`` for "please specify" text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from survey.answering.cleaning import NOT_AVAILABLE
from survey.questionnaires.model import Question


@dataclass(frozen=True)
class Column:
    name: str
    question: str
    part: str  # what the column holds, for the codebook: "answer", "option", "row", ...
    code: str | None = None


def _choice_codes(q: Question) -> list[str]:
    extra = [flag for flag in ("other", "dont_know") if getattr(q, flag)]
    return [o.code for o in q.options] + [p.code for p in q.scale] + extra


def _single_columns(q: Question) -> list[Column]:
    columns = [Column(q.key, q.key, "answer")]
    return columns + ([Column(f"{q.key}.other", q.key, "other text")] if q.other else [])


def _single_cells(q: Question, value: dict) -> dict[str, Any]:
    return {q.key: value["code"], f"{q.key}.other": value.get("other")}


def _multiple_columns(q: Question) -> list[Column]:
    columns = [
        Column(f"{q.key}.{code}", q.key, "option chosen (0/1)", code) for code in _choice_codes(q)
    ]
    return columns + ([Column(f"{q.key}.other_text", q.key, "other text")] if q.other else [])


def _multiple_cells(q: Question, value: dict) -> dict[str, Any]:
    chosen = set(value["codes"])
    cells: dict[str, Any] = {f"{q.key}.{code}": int(code in chosen) for code in _choice_codes(q)}
    cells[f"{q.key}.other_text"] = value.get("other")
    return cells


def _one_columns(q: Question) -> list[Column]:
    return [Column(q.key, q.key, "answer")]


def _one_cells(q: Question, value: Any) -> dict[str, Any]:
    return {q.key: value.isoformat() if hasattr(value, "isoformat") else value}


def _scale_cells(q: Question, value: str) -> dict[str, Any]:
    return {q.key: value if value == "dont_know" else int(value)}


def _grid_columns(q: Question) -> list[Column]:
    return [Column(f"{q.key}.{s.key}", q.key, "row", s.key) for s in q.statements]


def _grid_cells(q: Question, value: dict) -> dict[str, Any]:
    return {
        f"{q.key}.{key}": code if code == "dont_know" else int(code) for key, code in value.items()
    }


def _number_columns(q: Question) -> list[Column]:
    columns = [Column(q.key, q.key, "answer")]
    if q.not_available:
        columns.append(Column(f"{q.key}.not_available", q.key, "not available (0/1)"))
    return columns


def _number_cells(q: Question, value: Any) -> dict[str, Any]:
    if value == NOT_AVAILABLE:
        return {q.key: None, f"{q.key}.not_available": 1}
    return {q.key: value, f"{q.key}.not_available": 0}


def _ranking_columns(q: Question) -> list[Column]:
    return [Column(f"{q.key}.{o.code}", q.key, "rank", o.code) for o in q.options]


def _ranking_cells(q: Question, value: list[str]) -> dict[str, Any]:
    return {f"{q.key}.{code}": rank for rank, code in enumerate(value, 1)}


CSV_CELLS: dict[str, tuple[Callable[[Question], list[Column]], Callable[[Question, Any], dict]]] = {
    "single_choice": (_single_columns, _single_cells),
    "multiple_choice": (_multiple_columns, _multiple_cells),
    "scale": (_one_columns, _scale_cells),
    "grid": (_grid_columns, _grid_cells),
    "number": (_number_columns, _number_cells),
    "short_text": (_one_columns, _one_cells),
    "long_text": (_one_columns, _one_cells),
    "country": (_one_columns, _one_cells),
    "ranking": (_ranking_columns, _ranking_cells),
    "date": (_one_columns, _one_cells),
    "yes_no": (_one_columns, _one_cells),
}


def columns(question: Question) -> list[Column]:
    """The raw CSV's columns for a question."""
    return CSV_CELLS[question.type][0](question)


def cells(question: Question, value: Any) -> dict[str, Any]:
    """A clean answer as cells by column name."""
    return CSV_CELLS[question.type][1](question, value)
