"""Clean values as rows of ``answer`` and back, one pair of functions per question type.

The rows are shaped for GROUP BY (see ``survey.models.Answer``): a code for every choice, a
number for numbers, scale points and ranks, text only where text was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from survey.answering.cleaning import NOT_AVAILABLE
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition


@dataclass(frozen=True)
class Cell:
    """One row of ``answer``, without its submission and question key."""

    item: str = ""
    code: str | None = None
    number: Decimal | None = None
    text: str | None = None


def _point_value(code: str) -> Decimal | None:
    return None if code == "dont_know" else Decimal(code)


def single_to_cells(q: Question, value: dict) -> list[Cell]:
    return [Cell(code=value["code"], text=value.get("other"))]


def single_from_cells(q: Question, cells: list[Cell]) -> dict:
    return {"code": cells[0].code, "other": cells[0].text}


def multiple_to_cells(q: Question, value: dict) -> list[Cell]:
    return [Cell(code=c, text=value["other"] if c == "other" else None) for c in value["codes"]]


def multiple_from_cells(q: Question, cells: list[Cell]) -> dict:
    order = {o.code: i for i, o in enumerate(q.options)}
    codes = sorted((c.code for c in cells), key=lambda c: order.get(c, len(order)))
    other = next((c.text for c in cells if c.code == "other"), None)
    return {"codes": codes, "other": other}


def code_to_cells(q: Question, value: str) -> list[Cell]:
    number = _point_value(value) if q.type == "scale" else None
    return [Cell(code=value, number=number)]


def code_from_cells(q: Question, cells: list[Cell]) -> str:
    return cells[0].code


def grid_to_cells(q: Question, value: dict[str, str]) -> list[Cell]:
    return [Cell(item=key, code=code, number=_point_value(code)) for key, code in value.items()]


def grid_from_cells(q: Question, cells: list[Cell]) -> dict[str, str]:
    return {c.item: c.code for c in cells}


def number_to_cells(q: Question, value: Decimal | str) -> list[Cell]:
    return [Cell(code=NOT_AVAILABLE)] if value == NOT_AVAILABLE else [Cell(number=value)]


def number_from_cells(q: Question, cells: list[Cell]) -> Decimal | str:
    cell = cells[0]
    if cell.code == NOT_AVAILABLE:
        return NOT_AVAILABLE
    return cell.number.to_integral_value() if q.integer else cell.number.normalize()


def text_to_cells(q: Question, value: str) -> list[Cell]:
    return [Cell(text=value)]


def text_from_cells(q: Question, cells: list[Cell]) -> str:
    return cells[0].text


def ranking_to_cells(q: Question, value: list[str]) -> list[Cell]:
    return [Cell(item=code, number=Decimal(rank)) for rank, code in enumerate(value, start=1)]


def ranking_from_cells(q: Question, cells: list[Cell]) -> list[str]:
    return [c.item for c in sorted(cells, key=lambda c: c.number)]


def date_to_cells(q: Question, value: date) -> list[Cell]:
    return [Cell(text=value.isoformat())]


def date_from_cells(q: Question, cells: list[Cell]) -> date:
    return date.fromisoformat(cells[0].text)


ToCells = Callable[[Question, Any], list[Cell]]
FromCells = Callable[[Question, list[Cell]], Any]
STORAGE: dict[str, tuple[ToCells, FromCells]] = {
    "single_choice": (single_to_cells, single_from_cells),
    "multiple_choice": (multiple_to_cells, multiple_from_cells),
    "scale": (code_to_cells, code_from_cells),
    "grid": (grid_to_cells, grid_from_cells),
    "number": (number_to_cells, number_from_cells),
    "short_text": (text_to_cells, text_from_cells),
    "long_text": (text_to_cells, text_from_cells),
    "country": (code_to_cells, code_from_cells),
    "ranking": (ranking_to_cells, ranking_from_cells),
    "date": (date_to_cells, date_from_cells),
    "yes_no": (code_to_cells, code_from_cells),
}


def to_cells(question: Question, value: Any) -> list[Cell]:
    """The rows that store a clean value."""
    return STORAGE[question.type][0](question, value)


def from_cells(question: Question, cells: Iterable[Cell]) -> Any:
    """The clean value stored in ``cells`` (None when there are none)."""
    cells = list(cells)
    return STORAGE[question.type][1](question, cells) if cells else None


def values_from_rows(definition: Definition, rows: Iterable[tuple]) -> dict[str, Any]:
    """The clean values, by question key, stored in answer rows given as (question key, item,
    code, number, text); rows of a key the definition does not ask are left out."""
    cells: dict[str, list[Cell]] = {}
    for key, item, code, number, text in rows:
        cells.setdefault(key, []).append(Cell(item=item, code=code, number=number, text=text))
    known = {q.key: q for q in definition.questions()}
    return {key: from_cells(known[key], found) for key, found in cells.items() if key in known}
