"""The answers as typed, before any check: what a draft keeps, so nothing is ever lost.

A question's raw answer maps a field suffix to the values sent: ``""`` for the question's own
field, ``"other"`` for its "please specify" text, a statement key for a grid row, an option
code for a ranking. In the form the field is named ``key`` or ``key.suffix``.
"""

from __future__ import annotations

from collections.abc import Iterable

from werkzeug.datastructures import MultiDict

from survey.questionnaires.model import Question

RawAnswer = dict[str, list[str]]
RawAnswers = dict[str, RawAnswer]

# Far above any real answer, but it keeps a hostile post from filling the database.
MAX_VALUE_LENGTH = 20_000
MAX_VALUES_PER_FIELD = 100


def field_name(question_key: str, suffix: str = "") -> str:
    """The name of the form field for ``suffix`` of the question."""
    return f"{question_key}.{suffix}" if suffix else question_key


def raw_from_form(form: MultiDict, questions: Iterable[Question]) -> RawAnswers:
    """Collect the raw answer of each question from a posted form (absent means empty)."""
    collected: RawAnswers = {q.key: {} for q in questions}
    for name in form:
        key, _, suffix = name.partition(".")
        if key in collected:
            values = [v.replace("\r\n", "\n") for v in form.getlist(name)]
            collected[key][suffix] = [v for v in values if v != ""][:MAX_VALUES_PER_FIELD]
    return {key: {s: v for s, v in raw.items() if v} for key, raw in collected.items()}


def first(raw: RawAnswer, suffix: str = "") -> str:
    """The first value of a field, stripped; empty when absent."""
    values = raw.get(suffix) or [""]
    return values[0].strip()


def is_empty(raw: RawAnswer | None) -> bool:
    """Whether nothing at all was typed or chosen."""
    return not raw or not any(v.strip() for values in raw.values() for v in values)
