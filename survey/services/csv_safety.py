"""Cells that are safe to open in a spreadsheet."""

from __future__ import annotations

from decimal import Decimal

# A cell starting with one of these is read by Excel or LibreOffice as a formula
# ("=HYPERLINK(...)", "+1+cmd|...", "@SUM(...)"), or hides one after a tab or carriage return.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as CSV cell text that a spreadsheet shows as text, never runs as a formula.

    Numbers stay numbers (-3 is not a formula); None is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
