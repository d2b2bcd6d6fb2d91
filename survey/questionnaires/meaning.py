"""Check what a schema-valid definition means: unique keys, references, conditions, dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from survey.questionnaires.build import parse_local_time
from survey.questionnaires.problems import Problem, line_of
from survey.questionnaires.schema import LANGUAGES, describe
from survey.questionnaires.types import RESERVED_CODES, SHOW_IF_CODES, answer_codes

Where = list[str | int]
Found = Iterator[tuple[Where, str]]
TEXT_KEYS = frozenset(
    ("title", "introduction", "purpose", "privacy_notice", "label", "help", "unit")
)


def meaning_problems(data: dict[str, Any], file: str, default_timezone: str) -> list[Problem]:
    """Return every problem of meaning in one schema-valid definition."""
    checks = (
        _unique_keys,
        _unique_codes,
        _references,
        _option_rules,
        _bounds,
        _conditions,
        _translations,
        _draft_languages,
    )
    found = [item for check in checks for item in check(data)]
    found += _dates(data, default_timezone)
    problems = [
        Problem(file, line_of(data, where), f"{describe(data, where)}: {message}")
        for where, message in found
    ]
    return sorted(problems, key=lambda p: p.line or 0)


def questions(data: dict[str, Any]) -> Iterator[tuple[Where, dict[str, Any]]]:
    """Yield the path and definition of every question, in order."""
    for i, section in enumerate(data["sections"]):
        for j, question in enumerate(section["questions"]):
            yield ["sections", i, "questions", j], question


def resolved(data: dict[str, Any], question: dict[str, Any], name: str) -> list | None:
    """Return a question's options or scale points ([] if none); None if its set is missing."""
    value = question.get(name)
    if name == "options" and isinstance(value, str):
        return data.get("option_sets", {}).get(value)
    if name == "scale" and value is not None:
        return data.get("scales", {}).get(value, {}).get("points")
    return value or []


def _repeats(data: Any, where: Where, items: list, field: str, what: str) -> Found:
    """Flag each item whose ``field`` repeats an earlier item's."""
    first: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = item[field]
        if value in first:
            line = line_of(data, [*where, first[value], field])
            message = f"{what} '{value}' is already used at line {line}: use a {field} not used yet"
            yield [*where, i, field], message
        first.setdefault(value, i)


def _unique_keys(data: dict[str, Any]) -> Found:
    yield from _repeats(data, ["sections"], data["sections"], "key", "section key")
    sessions = data.get("meeting_sessions", [])
    yield from _repeats(data, ["meeting_sessions"], sessions, "key", "session key")
    first: dict[str, Where] = {}
    for where, question in questions(data):
        key = question["key"]
        if key in first:
            line = line_of(data, [*first[key], "key"])
            yield (
                [*where, "key"],
                f"question key '{key}' is already used at line {line}: "
                + ("use a key that is not used yet"),
            )
        first.setdefault(key, where)


def _unique_codes(data: dict[str, Any]) -> Found:
    for where, question in questions(data):
        if isinstance(question.get("options"), list):
            options = question["options"]
            yield from _repeats(data, [*where, "options"], options, "code", "option code")
        statements = question.get("statements", [])
        yield from _repeats(data, [*where, "statements"], statements, "key", "statement key")
    for name, options in data.get("option_sets", {}).items():
        yield from _repeats(data, ["option_sets", name], options, "code", "option code")
    for name, scale in data.get("scales", {}).items():
        yield from _repeats(data, ["scales", name, "points"], scale["points"], "code", "point code")


def _references(data: dict[str, Any]) -> Found:
    for where, question in questions(data):
        for name, folder in (("options", "option_sets"), ("scale", "scales")):
            value, known = question.get(name), data.get(folder, {})
            if isinstance(value, str) and value not in known:
                yield [*where, name], _missing(value, f"{folder} entry", known, folder)
    sessions = [s["key"] for s in data.get("meeting_sessions", [])]
    for i, section in enumerate(data["sections"]):
        if "session" in section and section["session"] not in sessions:
            message = _missing(section["session"], "meeting session", sessions, "meeting_sessions")
            yield ["sections", i, "session"], message


def _missing(name: str, what: str, known: Any, folder: str) -> str:
    choices = f"use one of {', '.join(known)} or " if known else ""
    return f"there is no {what} '{name}': {choices}add it under {folder}"


def _option_rules(data: dict[str, Any]) -> Found:
    lists = [
        ([*where, "options"], q["options"])
        for where, q in questions(data)
        if isinstance(q.get("options"), list)
    ]
    lists += [(["option_sets", name], items) for name, items in data.get("option_sets", {}).items()]
    for where, options in lists:
        for i, code in enumerate(option["code"] for option in options):
            if code in RESERVED_CODES:
                yield (
                    [*where, i, "code"],
                    (
                        f"the code '{code}' is reserved for the choice the "
                        f"service adds: remove this option and set "
                        f"'{code}: true' on the question"
                    ),
                )
    for where, question in questions(data):
        count = len(resolved(data, question, "options") or [])
        for limit in ("max_selections", "top"):
            if count and question.get(limit, 0) > count:
                yield (
                    [*where, limit],
                    (f"{question[limit]} is more than the {count} options: use at most {count}"),
                )


def _bounds(data: dict[str, Any]) -> Found:
    for where, question in questions(data):
        bounds = {}
        for name in ("min", "max"):
            value = question.get(name)
            if question["type"] == "date" and value is not None:
                try:
                    value = date.fromisoformat(value)
                except ValueError:
                    yield [*where, name], f"'{value}' is not a real date: check the day and month"
                    continue
            bounds[name] = value
        if None not in (bounds.get("min"), bounds.get("max")) and bounds["min"] > bounds["max"]:
            yield (
                [*where, "min"],
                (
                    f"min ({question['min']}) is greater than max "
                    f"({question['max']}): swap them or correct one"
                ),
            )


def _conditions(data: dict[str, Any]) -> Found:
    everything = list(questions(data))
    position: dict[str, int] = {}
    for n, (_, question) in enumerate(everything):
        position.setdefault(question["key"], n)
    for n, (where, question) in enumerate(everything):
        if "show_if" not in question:
            continue
        target_key, here = question["show_if"]["question"], [*where, "show_if", "question"]
        target_at = position.get(target_key)
        if target_key == question["key"]:
            yield here, "a question cannot depend on itself: refer to an earlier question"
        elif target_at is None:
            yield here, f"there is no question '{target_key}': use the key of an earlier question"
        elif target_at > n:
            line = line_of(data, [*everything[target_at][0], "key"])
            yield (
                here,
                (
                    f"question '{target_key}' comes later (line {line}): a condition can "
                    "only refer to an earlier question; move one of them or refer to another"
                ),
            )
        else:
            yield from _condition_codes(data, where, question, everything[target_at][1])


def _condition_codes(data: Any, where: Where, question: dict, target: dict) -> Found:
    if target["type"] not in SHOW_IF_CODES:
        yield (
            [*where, "show_if", "question"],
            (
                f"question '{target['key']}' is a {target['type']} question: show_if can only "
                f"refer to a question of type {', '.join(SHOW_IF_CODES)}"
            ),
        )
        return
    source = SHOW_IF_CODES[target["type"]].listed
    listed = resolved(data, target, source) if source else []
    if listed is None:
        return  # its missing option set or scale is reported on the target itself
    flags = [flag for flag in ("other", "dont_know") if target.get(flag)]
    codes = answer_codes(target["type"], [item["code"] for item in listed], flags)
    for i, code in enumerate(question["show_if"]["any_of"]):
        if code not in codes:
            yield (
                [*where, "show_if", "any_of", i],
                (
                    f"question '{target['key']}' cannot be answered '{code}': use one of "
                    f"{', '.join(sorted(codes))}"
                ),
            )


def _texts(node: Any, where: Where) -> Iterator[tuple[Where, dict]]:
    """Yield every translatable text with its path."""
    items = node.items() if isinstance(node, dict) else enumerate(node or [])
    for step, value in items:
        if isinstance(value, dict) and step in TEXT_KEYS and set(value) <= set(LANGUAGES):
            yield [*where, step], value
        elif isinstance(value, dict | list):
            yield from _texts(value, [*where, step])


def _translations(data: dict[str, Any]) -> Found:
    declared = ", ".join(data["languages"])
    for where, text in _texts(data, []):
        missing = ", ".join(lang for lang in data["languages"] if lang not in text)
        if missing:
            yield (
                where,
                (
                    f"the {missing} text is missing: add it, as every text must be given "
                    f"in each of the languages ({declared})"
                ),
            )


def _draft_languages(data: dict[str, Any]) -> Found:
    for i, lang in enumerate(data.get("draft_languages", [])):
        if lang not in data["languages"]:
            message = f"'{lang}' is not in languages: add it there, or remove it from here"
            yield ["draft_languages", i], message


def _dates(data: dict[str, Any], default_timezone: str) -> list[tuple[Where, str]]:
    name = data.get("timezone", default_timezone)
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return [
            (
                ["timezone"],
                f"'{name}' is not a known time zone: use an IANA name such as Europe/Vienna",
            )
        ]
    found, moments = [], {}
    for key in ("opens", "closes"):
        try:
            local = parse_local_time(data[key])
        except ValueError:
            found.append(
                ([key], f"'{data[key]}' is not a real date and time: check the day and the hour")
            )
            continue
        moment = local.replace(tzinfo=zone).astimezone(UTC)
        # A local time in the gap of a daylight-saving change does not survive the round trip.
        if moment.astimezone(zone).replace(tzinfo=None) != local:
            found.append(
                (
                    [key],
                    f"{data[key]} does not exist in {name}: the clocks skip that "
                    "time for daylight saving; use a time an hour later",
                )
            )
        else:
            moments[key] = moment
    if len(moments) == 2 and moments["opens"] >= moments["closes"]:
        found.append(
            (
                ["closes"],
                f"closes ({data['closes']}) is not after opens ({data['opens']}): make it later",
            )
        )
    return found
