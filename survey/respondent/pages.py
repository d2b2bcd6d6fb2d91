"""What a questionnaire page shows: its questions, their answers as typed, their errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from survey.answering.raw import RawAnswers, is_empty
from survey.answering.visibility import shown_questions
from survey.questionnaires.model import Question, Section
from survey.questionnaires.model import Questionnaire as Definition


@dataclass
class PageView:
    """One section of the questionnaire as the expert sees it."""

    definition: Definition
    section: Section
    raw: RawAnswers
    lock_version: int
    errors: dict[str, Any] = field(default_factory=dict)
    _shown: set[str] = field(default_factory=set, init=False, repr=False)
    _shown_for: RawAnswers | None = field(default=None, init=False, repr=False)

    @property
    def index(self) -> int:
        return self.definition.sections.index(self.section)

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def count(self) -> int:
        return len(self.definition.sections)

    @property
    def previous(self) -> Section | None:
        """The nearest earlier page that has a question to show (pages may be all hidden)."""
        earlier = [s for s in self.definition.sections[: self.index] if self._has_questions(s)]
        return earlier[-1] if earlier else None

    @property
    def next(self) -> Section | None:
        """The nearest later page that has a question to show."""
        later = self.definition.sections[self.index + 1 :]
        return next((s for s in later if self._has_questions(s)), None)

    def sections_shown(self) -> list[Section]:
        """The pages that have a question to show, for the list of all pages."""
        return [s for s in self.definition.sections if self._has_questions(s)]

    def _has_questions(self, section: Section) -> bool:
        return any(q.key in self.shown for q in section.questions)

    @property
    def shown(self) -> set[str]:
        """The keys of the questions shown with ``raw``: worked out once per ``raw`` given,
        not once for each question and page rendered (a pass over the whole questionnaire)."""
        if self._shown_for is not self.raw:
            self._shown = shown_questions(self.definition, self.raw)
            self._shown_for = self.raw
        return self._shown

    def questions(self) -> list[Question]:
        """The questions to render: shown ones, and those whose condition is on this page
        (scripts show and hide those at once; without scripts a note says when to answer)."""
        on_page = {q.key for q in self.section.questions}
        return [
            q
            for q in self.section.questions
            if q.key in self.shown or (q.show_if and q.show_if.question in on_page)
        ]

    def hidden_for_now(self, question: Question) -> bool:
        """Whether a rendered question's condition is false with the answers so far."""
        return question.key not in self.shown


def section_by_key(definition: Definition, key: str) -> Section | None:
    """The section with ``key``, or None."""
    return next((s for s in definition.sections if s.key == key), None)


@dataclass
class SectionProgress:
    section: Section
    answered: int
    total: int
    missing: list[Question]
    invalid: list[Question]


def progress(
    definition: Definition, raw: RawAnswers, invalid: dict[str, Any], missing: list[str]
) -> list[SectionProgress]:
    """Per section: how many shown questions have an answer, and which still need one."""
    shown = shown_questions(definition, raw)
    result = []
    for section in definition.sections:
        questions = [q for q in section.questions if q.key in shown]
        if not questions:
            continue  # every question of the page is hidden by the answers given
        result.append(
            SectionProgress(
                section=section,
                answered=sum(1 for q in questions if not is_empty(raw.get(q.key))),
                total=len(questions),
                missing=[q for q in questions if q.key in missing],
                invalid=[q for q in questions if q.key in invalid],
            )
        )
    return result
