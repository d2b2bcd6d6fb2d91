"""Checking a raw answer and turning it into a clean value, one cleaner per question type.

A cleaner returns ``(value, error)``: ``value`` is None when the question was left empty;
``error`` is a message for the expert, shown next to the question.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l

from survey import countries
from survey.answering.raw import MAX_VALUE_LENGTH, RawAnswer, first
from survey.questionnaires.model import Question

NOT_AVAILABLE = "not_available"
Cleaned = tuple[Any, Any]
Cleaner = Callable[[Question, RawAnswer], Cleaned]


def _codes(question: Question) -> set[str]:
    codes = {o.code for o in question.options} | {p.code for p in question.scale}
    return codes | {flag for flag in ("other", "dont_know") if getattr(question, flag)}


def _text(value: str, limit: int) -> Cleaned:
    # Kept exactly as typed (no Unicode normalisation): what the expert wrote is what is cited.
    if "\x00" in value:
        return None, _l("This answer contains a character that cannot be stored.")
    if len(value) > limit:
        return None, _l(
            "This answer is %(length)d characters long; the limit is %(limit)d.",
            length=len(value),
            limit=limit,
        )
    return value, None


def _other_text(question: Question, raw: RawAnswer) -> Cleaned:
    other = first(raw, "other")
    if not other:
        return None, _l("Please specify what “other” means here.")
    return _text(other, question.max_length or 500)


def clean_single_choice(question: Question, raw: RawAnswer) -> Cleaned:
    code = first(raw)
    if not code:
        return None, None
    if code not in _codes(question):
        return None, _l("Please choose one of the answers listed.")
    other = None
    if code == "other":
        other, error = _other_text(question, raw)
        if error:
            return None, error
    return {"code": code, "other": other}, None


def clean_multiple_choice(question: Question, raw: RawAnswer) -> Cleaned:
    chosen = list(dict.fromkeys(v.strip() for v in raw.get("", []) if v.strip()))
    if not chosen:
        return None, None
    if not set(chosen) <= _codes(question):
        return None, _l("Please choose among the answers listed.")
    if "dont_know" in chosen and len(chosen) > 1:
        return None, _l("“Don't know” cannot be chosen together with other answers.")
    if question.max_selections and len(chosen) > question.max_selections:
        return None, _l("Please choose at most %(n)d answers.", n=question.max_selections)
    other = None
    if "other" in chosen:
        other, error = _other_text(question, raw)
        if error:
            return None, error
    return {"codes": chosen, "other": other}, None


def clean_code(question: Question, raw: RawAnswer) -> Cleaned:
    """A scale or yes/no: one code of the question's own."""
    code = first(raw)
    if not code:
        return None, None
    allowed = _codes(question) | ({"yes", "no"} if question.type == "yes_no" else set())
    if code not in allowed:
        return None, _l("Please choose one of the answers listed.")
    return code, None


def clean_grid(question: Question, raw: RawAnswer) -> Cleaned:
    allowed = {p.code for p in question.scale} | ({"dont_know"} if question.dont_know else set())
    rows = {s.key: first(raw, s.key) for s in question.statements}
    rows = {key: code for key, code in rows.items() if code}
    if not rows:
        return None, None
    if not set(rows.values()) <= allowed:
        return None, _l("Please choose one of the answers listed in each row.")
    if len(rows) < len(question.statements):
        return rows, _l(
            "Please answer every row (%(done)d of %(all)d answered).",
            done=len(rows),
            all=len(question.statements),
        )
    return rows, None


def clean_number(question: Question, raw: RawAnswer) -> Cleaned:
    typed = first(raw).replace(" ", "").replace("\u00a0", "")
    if question.not_available and first(raw, "na"):
        if typed:
            return None, _l("Give a number or tick “not available”, not both.")
        return NOT_AVAILABLE, None
    if not typed:
        return None, None
    try:
        value = Decimal(typed.replace(",", "."))
    except InvalidOperation:
        return None, _l("Please write a number, for example 12 or 3.5.")
    if not value.is_finite() or abs(value) >= Decimal("1e13"):
        return None, _l("Please write a number, for example 12 or 3.5.")
    if question.integer and value != value.to_integral_value():
        return None, _l("Please write a whole number.")
    if question.min is not None and value < Decimal(str(question.min)):
        return None, _l("The smallest number accepted is %(min)s.", min=question.min)
    if question.max is not None and value > Decimal(str(question.max)):
        return None, _l("The largest number accepted is %(max)s.", max=question.max)
    return (value.to_integral_value() if question.integer else value.normalize()), None


def clean_text(question: Question, raw: RawAnswer) -> Cleaned:
    typed = first(raw)
    if not typed:
        return None, None
    return _text(typed, min(question.max_length or 4000, MAX_VALUE_LENGTH))


def clean_country(question: Question, raw: RawAnswer) -> Cleaned:
    code = first(raw).upper()
    if not code:
        return None, None
    if countries.country(code) is None:
        return None, _l("Please choose a country from the list.")
    return code, None


def clean_ranking(question: Question, raw: RawAnswer) -> Cleaned:
    codes = [o.code for o in question.options]
    ranks = {code: first(raw, code) for code in codes if first(raw, code)}
    if not ranks:
        return None, None
    needed = question.top or len(codes)
    try:
        by_rank = {int(rank): code for code, rank in ranks.items()}
    except ValueError:
        return None, _l("Please use the numbers offered to rank.")
    if len(by_rank) != len(ranks):
        return None, _l("Each rank may be given only once.")
    if sorted(by_rank) != list(range(1, needed + 1)):
        return None, _l("Please rank %(n)d items, from 1 (most important) to %(n)d.", n=needed)
    return [by_rank[rank] for rank in sorted(by_rank)], None


def clean_date(question: Question, raw: RawAnswer) -> Cleaned:
    typed = first(raw)
    if not typed:
        return None, None
    try:
        value = date.fromisoformat(typed)
    except ValueError:
        return None, _l("Please give a date as year-month-day, for example 2012-11-30.")
    if question.min and value < question.min:
        return None, _l("The earliest date accepted is %(date)s.", date=question.min.isoformat())
    if question.max and value > question.max:
        return None, _l("The latest date accepted is %(date)s.", date=question.max.isoformat())
    return value, None


CLEANERS: dict[str, Cleaner] = {
    "single_choice": clean_single_choice,
    "multiple_choice": clean_multiple_choice,
    "scale": clean_code,
    "grid": clean_grid,
    "number": clean_number,
    "short_text": clean_text,
    "long_text": clean_text,
    "country": clean_country,
    "ranking": clean_ranking,
    "date": clean_date,
    "yes_no": clean_code,
}


def clean(question: Question, raw: RawAnswer | None) -> Cleaned:
    """Check the raw answer of ``question``; see the module's docstring."""
    return CLEANERS[question.type](question, raw or {})
