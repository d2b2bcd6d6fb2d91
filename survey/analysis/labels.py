"""Names of answer codes and groups in the reader's language, for charts, tables and exports."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from survey import countries
from survey.answering.cleaning import NOT_AVAILABLE
from survey.questionnaires.model import Question, Text, text
from survey.questionnaires.model import Questionnaire as Definition
from survey.region_names import region_name as m49_name
from survey.stakeholders import stakeholder_label


def flag_label(code: str) -> str | None:
    """The label of a code the service adds itself ("other", "dont_know", yes/no ...)."""
    return {
        "other": gettext("Other"),
        "dont_know": gettext("Don't know / not applicable"),
        "yes": gettext("Yes"),
        "no": gettext("No"),
        NOT_AVAILABLE: gettext("Not available"),
    }.get(code)


def region_name(code: str) -> str:
    """A UN region's or sub-region's name, translated; "Not known" for none."""
    return m49_name(code) if countries.region(code) else gettext("Not known")


@dataclass(frozen=True)
class Labels:
    """Reads a questionnaire's texts in ``lang``, falling back to its first language."""

    lang: str
    fallback: str

    @classmethod
    def for_definition(cls, definition: Definition, page_lang: str) -> Labels:
        """Labels in the page's language if the questionnaire has it, else in its first one."""
        lang = page_lang if page_lang in definition.languages else definition.fallback_language
        return cls(lang, definition.fallback_language)

    def text(self, mapping: Text | None) -> str:
        """A text of the questionnaire."""
        return text(mapping, self.lang, self.fallback)

    def code(self, question: Question, code: str) -> str:
        """The label of an answer code of ``question``; the code itself if it is unknown."""
        for listed in (*question.options, *question.scale):
            if listed.code == code:
                return self.text(listed.label)
        return flag_label(code) or code

    def statement(self, question: Question, key: str) -> str:
        """The label of a statement of a grid."""
        for statement in question.statements:
            if statement.key == key:
                return self.text(statement.label)
        return key

    def group(self, breakdown: str | None, value: str) -> str:
        """The name of a breakdown's group ("" is a respondent whose value is not known)."""
        if not value:
            return gettext("Not known")
        if breakdown in {"region", "subregion"}:
            return region_name(value)
        if breakdown == "stakeholder_group":
            return stakeholder_label(value)
        if breakdown == "country":
            return countries.country_name(value, self.lang) or value
        return value
