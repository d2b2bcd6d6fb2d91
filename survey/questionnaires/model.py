"""A questionnaire as immutable data, with option sets and scales resolved into its questions."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from survey.questionnaires.types import answer_codes

Text = dict[str, str]


def text(mapping: Text | None, lang: str, fallback_lang: str) -> str:
    """Return the text in ``lang``, else in ``fallback_lang``; empty when there is none."""
    if not mapping:
        return ""
    return mapping.get(lang) or mapping.get(fallback_lang) or ""


@dataclass(frozen=True)
class Option:
    """A listed choice of a choice or ranking question."""

    code: str
    label: Text


@dataclass(frozen=True)
class ScalePoint:
    """A point of a rating scale; its code is its value ("1" .. "5")."""

    code: str
    label: Text


@dataclass(frozen=True)
class Statement:
    """A row of a grid, rated on the grid's scale."""

    key: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """Show a question only when the earlier question was answered with one of the codes."""

    question: str
    any_of: tuple[str, ...]


@dataclass(frozen=True)
class MeetingSession:
    """A session of the meeting that a section evaluates or prepares."""

    key: str
    title: Text


@dataclass(frozen=True)
class Question:
    """One question; the fields that do not apply to its type keep their defaults.

    ``options`` and ``scale`` are resolved from option sets and named scales. The choices the
    service adds are flags (``other``, ``dont_know``, ``not_available``), never options.
    """

    key: str
    type: str
    label: Text
    help: Text | None = None
    required: bool = False
    pair: str | None = None
    show_if: Condition | None = None
    options: tuple[Option, ...] = ()
    scale: tuple[ScalePoint, ...] = ()
    statements: tuple[Statement, ...] = ()
    other: bool = False
    dont_know: bool = False
    not_available: bool = False
    display: str | None = None
    max_selections: int | None = None
    top: int | None = None
    integer: bool = False
    min: int | float | date | None = None
    max: int | float | date | None = None
    unit: Text | None = None
    max_length: int | None = None

    def answer_codes(self) -> frozenset[str]:
        """Return the codes a show_if condition on this question may test."""
        listed = [o.code for o in self.options] + [p.code for p in self.scale]
        flags = [name for name in ("other", "dont_know") if getattr(self, name)]
        return answer_codes(self.type, listed, flags)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Question:
        """Rebuild a question from ``to_dict`` output."""
        values = dict(d)
        values["show_if"] = d["show_if"] and Condition(
            d["show_if"]["question"], tuple(d["show_if"]["any_of"])
        )
        values["options"] = tuple(Option(**o) for o in d["options"])
        values["scale"] = tuple(ScalePoint(**p) for p in d["scale"])
        values["statements"] = tuple(Statement(**s) for s in d["statements"])
        if d["type"] == "date":
            for bound in ("min", "max"):
                values[bound] = d[bound] and date.fromisoformat(d[bound])
        return cls(**values)


@dataclass(frozen=True)
class Section:
    """A page of the questionnaire."""

    key: str
    title: Text
    questions: tuple[Question, ...]
    introduction: Text | None = None
    session: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Section:
        """Rebuild a section from ``to_dict`` output."""
        questions = tuple(Question.from_dict(q) for q in d["questions"])
        return cls(**{**d, "questions": questions})


@dataclass(frozen=True)
class Questionnaire:
    """A whole questionnaire; ``opens``/``closes`` are naive local times in ``timezone``."""

    id: str
    title: Text
    introduction: Text
    purpose: Text
    privacy_notice: Text
    languages: tuple[str, ...]
    opens: datetime
    closes: datetime
    anonymous: bool
    sections: tuple[Section, ...]
    draft_languages: tuple[str, ...] = ()
    timezone: str | None = None
    pairs_with: str | None = None
    meeting_sessions: tuple[MeetingSession, ...] = ()

    @property
    def fallback_language(self) -> str:
        """Return the language used where a text lacks the reader's."""
        return self.languages[0]

    def questions(self) -> list[Question]:
        """Return every question, in order."""
        return [q for section in self.sections for q in section.questions]

    def question(self, key: str) -> Question:
        """Return the question with ``key``; raise KeyError if there is none."""
        for q in self.questions():
            if q.key == key:
                return q
        raise KeyError(key)

    def opens_at_utc(self, default_tz: str) -> datetime:
        """Return the opening time in UTC; ``default_tz`` applies when the file names no zone."""
        return _to_utc(self.opens, self.timezone or default_tz)

    def closes_at_utc(self, default_tz: str) -> datetime:
        """Return the closing time in UTC; ``default_tz`` applies when the file names no zone."""
        return _to_utc(self.closes, self.timezone or default_tz)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict with every field, that ``from_dict`` rebuilds exactly."""
        return _plain(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Questionnaire:
        """Rebuild a questionnaire from ``to_dict`` output."""
        return cls(
            **{
                **d,
                "languages": tuple(d["languages"]),
                "draft_languages": tuple(d["draft_languages"]),
                "opens": datetime.fromisoformat(d["opens"]),
                "closes": datetime.fromisoformat(d["closes"]),
                "meeting_sessions": tuple(MeetingSession(**s) for s in d["meeting_sessions"]),
                "sections": tuple(Section.from_dict(s) for s in d["sections"]),
            }
        )


def _to_utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _plain(value: Any) -> Any:
    """Turn dataclasses, tuples and dates into JSON types, field by field."""
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value
