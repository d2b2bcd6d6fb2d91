"""Build the model from a definition that passed the schema, resolving named lists."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from survey.questionnaires.model import (
    Condition,
    MeetingSession,
    Option,
    Question,
    Questionnaire,
    ScalePoint,
    Section,
    Statement,
)

LOCAL_TIME_FORMAT = "%Y-%m-%dT%H:%M"
# Keys copied as they are; flags default to False, the rest to None.
PLAIN_KEYS = ("help", "pair", "display", "max_selections", "top", "unit", "max_length")
FLAG_KEYS = ("required", "other", "dont_know", "not_available", "integer")
DEFAULTS = {
    "single_choice": {"display": "radio"},
    "short_text": {"max_length": 200},
    "long_text": {"max_length": 4000},
}


def build_questionnaire(data: dict[str, Any]) -> Questionnaire:
    """Return the questionnaire of a schema-valid definition; raise ValueError if unresolvable."""
    sections = tuple(_section(s, data) for s in data["sections"])
    return Questionnaire(
        id=data["id"],
        title=dict(data["title"]),
        introduction=dict(data["introduction"]),
        purpose=dict(data["purpose"]),
        privacy_notice=dict(data["privacy_notice"]),
        languages=tuple(data["languages"]),
        draft_languages=tuple(data.get("draft_languages", ())),
        opens=parse_local_time(data["opens"]),
        closes=parse_local_time(data["closes"]),
        timezone=data.get("timezone"),
        anonymous=data["anonymous"],
        pairs_with=data.get("pairs_with"),
        meeting_sessions=tuple(
            MeetingSession(s["key"], dict(s["title"])) for s in data.get("meeting_sessions", ())
        ),
        sections=sections,
    )


def parse_local_time(value: str) -> datetime:
    """Return the naive datetime of ``YYYY-MM-DDTHH:MM``; raise ValueError if it does not exist."""
    return datetime.strptime(value, LOCAL_TIME_FORMAT)  # naive: local to the zone


def _section(raw: dict[str, Any], data: dict[str, Any]) -> Section:
    return Section(
        key=raw["key"],
        title=dict(raw["title"]),
        questions=tuple(_question(q, data) for q in raw["questions"]),
        introduction=_copy(raw.get("introduction")),
        session=raw.get("session"),
    )


def _question(raw: dict[str, Any], data: dict[str, Any]) -> Question:
    values: dict[str, Any] = {**DEFAULTS.get(raw["type"], {})}
    values.update({k: _copy(raw[k]) for k in PLAIN_KEYS if k in raw})
    values.update({k: raw.get(k, False) for k in FLAG_KEYS})
    condition = raw.get("show_if")
    return Question(
        key=raw["key"],
        type=raw["type"],
        label=dict(raw["label"]),
        show_if=condition and Condition(condition["question"], tuple(condition["any_of"])),
        options=tuple(Option(o["code"], dict(o["label"])) for o in resolve_options(raw, data)),
        scale=tuple(ScalePoint(p["code"], dict(p["label"])) for p in resolve_scale(raw, data)),
        statements=tuple(Statement(s["key"], dict(s["label"])) for s in raw.get("statements", ())),
        min=_bound(raw, "min"),
        max=_bound(raw, "max"),
        **values,
    )


def resolve_options(raw: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a question's listed options, looking up an option set by name."""
    options = raw.get("options", [])
    if isinstance(options, str):
        if options not in data.get("option_sets", {}):
            raise ValueError(f"question '{raw['key']}': no option set '{options}'")
        return data["option_sets"][options]
    return options


def resolve_scale(raw: dict[str, Any], data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the points of a question's named scale (none if it has no scale)."""
    name = raw.get("scale")
    if name is None:
        return []
    if name not in data.get("scales", {}):
        raise ValueError(f"question '{raw['key']}': no scale '{name}'")
    return data["scales"][name]["points"]


def _bound(raw: dict[str, Any], name: str) -> int | float | date | None:
    value = raw.get(name)
    if raw["type"] == "date" and value is not None:
        return date.fromisoformat(value)
    return value


def _copy(value: Any) -> Any:
    """Copy a text out of the loaded YAML, so the model holds plain dicts."""
    return dict(value) if isinstance(value, dict) else value
