"""CSV files that open correctly in Excel and never run a formula: streamed row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from survey.services.csv_safety import safe_cell

# Excel reads UTF-8 without a byte-order mark as the local code page, garbling Arabic.
BOM = "\ufeff"
# The csv module writes these as safe_cell would (None as an empty cell, numbers by str()):
# skipping the call for them matters in the raw CSV's millions of cells.
WRITTEN_AS_IS = frozenset({type(None), int, float, Decimal})


class CsvLine(str):
    """A row already written as CSV text, line end included: passed on as it is."""


def csv_chunks(rows: Iterable[list[Any] | CsvLine], excel: bool = False) -> Iterator[str]:
    """RFC 4180 text (CRLF record ends), one chunk per row, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if excel:
        yield BOM
    for row in rows:
        if row.__class__ is CsvLine:
            yield row
            continue
        writer.writerow(_safe_cells(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_cells(cells: Iterable[Any]) -> str:
    """Cells as CSV text without a line end, neutralised: a part of a CsvLine."""
    buffer = io.StringIO()
    # A last empty cell, cut off below: a lone empty cell would be written as "".
    csv.writer(buffer, lineterminator="\r\n").writerow([*_safe_cells(cells), ""])
    return buffer.getvalue()[: -len(",\r\n")]


def _safe_cells(cells: Iterable[Any]) -> list:
    return [c if c.__class__ in WRITTEN_AS_IS else safe_cell(c) for c in cells]
