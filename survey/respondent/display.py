"""Answers as readable text, for the printable copy and the closed page; one entry per type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

from survey import countries
from survey.answering.cleaning import NOT_AVAILABLE
from survey.questionnaires.model import Question


def _label(question: Question, code: str, link) -> str:
    for item in (*question.options, *question.scale):
        if item.code == code:
            return link.text(item.label)
    # Only the one asked for is translated: the copy of the answers asks for a label per code.
    if code == "other":
        return _("Other")
    if code == "dont_know":
        return _("Don't know / not applicable")
    if code == "yes":
        return _("Yes")
    if code == "no":
        return _("No")
    return code


def _single(q: Question, value: dict, link) -> str:
    label = _label(q, value["code"], link)
    return f"{label}: {value['other']}" if value.get("other") else label


def _multiple(q: Question, value: dict, link) -> str:
    labels = [_label(q, code, link) for code in value["codes"]]
    if value.get("other"):
        labels = [
            f"{label}: {value['other']}" if code == "other" else label
            for code, label in zip(value["codes"], labels, strict=True)
        ]
    return "; ".join(labels)


def _code(q: Question, value: str, link) -> str:
    return _label(q, value, link)


def _grid(q: Question, value: dict, link) -> str:
    return "\n".join(
        f"{link.text(s.label)}: {_label(q, value[s.key], link)}"
        for s in q.statements
        if s.key in value
    )


def _number(q: Question, value: Any, link) -> str:
    if value == NOT_AVAILABLE:
        return _("Not available")
    unit = f" {link.text(q.unit)}" if q.unit else ""
    return f"{format_decimal(value)}{unit}"


def _ranking(q: Question, value: list[str], link) -> str:
    return "\n".join(f"{rank}. {_label(q, code, link)}" for rank, code in enumerate(value, 1))


DISPLAY: dict[str, Callable[[Question, Any, Any], str]] = {
    "single_choice": _single,
    "multiple_choice": _multiple,
    "scale": _code,
    "grid": _grid,
    "number": _number,
    "short_text": lambda q, v, link: v,
    "long_text": lambda q, v, link: v,
    "country": lambda q, v, link: countries.country_name(v, link.lang) or v,
    "ranking": _ranking,
    "date": lambda q, v, link: v.isoformat(),
    "yes_no": _code,
}


def answer_text(question: Question, value: Any, link) -> str:
    """A submitted answer as plain text in the page's language."""
    return DISPLAY[question.type](question, value, link)


def condition_answers(question: Question, target: Question, link) -> str:
    """The answers of ``target`` that show ``question``, as labels."""
    return ", ".join(f"“{_label(target, code, link)}”" for code in question.show_if.any_of)


def paragraphs(value: str) -> Markup:
    """Escape text and keep its paragraphs and line breaks."""
    # Escaped whole, then split: escaping changes no line break or space, and Markup.format
    # per line cost ~20 µs an answer (the copy of the answers calls this for each).
    text = str(escape(str(value or "").replace("\r\n", "\n")))
    blocks = [b for b in text.split("\n\n") if b.strip()]
    html = "".join("<p>" + "<br>".join(b.split("\n")) + "</p>" for b in blocks)
    return Markup(html)  # noqa: S704 - built from escaped text and literal tags only
