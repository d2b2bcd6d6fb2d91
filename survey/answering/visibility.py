"""Conditional questions: which questions are shown, given the answers so far."""

from __future__ import annotations

from survey.answering.raw import RawAnswers
from survey.questionnaires.model import Question, Questionnaire


def chosen_codes(raw: RawAnswers, key: str) -> set[str]:
    """The codes chosen for a question, as typed (a draft may hold them unchecked)."""
    return {v.strip() for v in (raw.get(key) or {}).get("", []) if v.strip()}


def is_shown(question: Question, raw: RawAnswers, shown: set[str]) -> bool:
    """Whether ``question`` is shown, given the raw answers and the questions shown before it."""
    condition = question.show_if
    if condition is None:
        return True
    # A condition on a hidden question is false: its answer does not count.
    if condition.question not in shown:
        return False
    return bool(chosen_codes(raw, condition.question) & set(condition.any_of))


def shown_questions(questionnaire: Questionnaire, raw: RawAnswers) -> set[str]:
    """The keys of every question shown, in one pass over the questionnaire in order."""
    shown: set[str] = set()
    for question in questionnaire.questions():
        if is_shown(question, raw, shown):
            shown.add(question.key)
    return shown
