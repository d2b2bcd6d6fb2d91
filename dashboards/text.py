"""Texts on charts: escaped (Plotly renders some HTML) and wrapped (Plotly does not wrap)."""

from __future__ import annotations

import html
import textwrap


def esc(text: object) -> str:
    """``text`` with ``&``, ``<`` and ``>`` escaped, so Plotly shows it and renders none of it.

    Quotes are left: Plotly decodes only a few named entities, and ``&quot;`` is not one.
    """
    return html.escape(str(text), quote=False)


def wrap(text: object, width: int = 40, max_lines: int = 4) -> str:
    """``text`` escaped and broken into lines of about ``width`` characters with ``<br>``."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1] + " …"]
    return "<br>".join(esc(line) for line in lines)


def number(value: float, digits: int = 1) -> str:
    """A number with at most ``digits`` decimals, no trailing zeros."""
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
