"""Check a definition against questions/schema.json and say what to fix, line by line."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from survey.questionnaires.problems import Problem, line_of

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "questions" / "schema.json"
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

# Every pattern of schema.json, said for a person (a test keeps the two in step).
PATTERN_HINTS = {
    "^[a-z][a-z0-9_]*$": "is not a valid key: use lower case letters, digits and _, "
    "starting with a letter (e.g. legal_framework)",
    "^[a-z][a-z0-9-]*$": "is not a valid id: use lower case letters, digits and -, "
    "starting with a letter (e.g. tfm-pre)",
    "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$": "is not a local date and time: "
    "write YYYY-MM-DDTHH:MM (e.g. 2013-02-14T09:00)",
    "^\\d{4}-\\d{2}-\\d{2}$": "is not a date: write YYYY-MM-DD (e.g. 2013-02-14)",
    "^-?[0-9]+$": 'is not a scale point code: use the point\'s value, in quotes (e.g. "1")',
    "^(?:[a-z][a-z0-9_]*|-?[0-9]+)$": "is not an answer code: use an option code "
    '(e.g. yes) or a scale point in quotes (e.g. "4")',
    "\\S": "is empty: write the text",
}
TYPE_NAMES = {
    "object": "a mapping (indented 'key: value' lines)",
    "array": "a list (lines starting with '- ')",
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}


@cache
def validator() -> Draft202012Validator:
    """Return the validator of questions/schema.json, read once."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def schema_problems(data: Any, file: str) -> list[Problem]:
    """Return every schema violation of ``data``, each with its line and what to do."""
    if data is None:
        return [Problem(file, None, "the file is empty: start from the example in FORMAT.md")]
    problems: list[Problem] = []
    for error in validator().iter_errors(data):
        for line, message in _explain(error, data):
            problem = Problem(file, line, message)
            if problem not in problems:
                problems.append(problem)
    return sorted(problems, key=lambda p: p.line or 0)


def _explain(error: ValidationError, data: Any) -> list[tuple[int | None, str]]:
    path = list(error.absolute_path)
    if "propertyNames" in error.relative_schema_path:
        path.append(error.instance)
    where = describe(data, path)
    kind = error.validator
    if kind == "required":
        return [
            (line_of(data, path), f"{where}: '{key}' is missing{_for_type(error)}: add it")
            for key in error.validator_value
            if key not in error.instance
        ]
    if kind == "additionalProperties":
        return [
            (line_of(data, [*path, key]), _unknown_key(error, where, key))
            for key in error.instance
            if key not in error.schema.get("properties", {})
        ]
    return [(line_of(data, path), f"{where}: {_what(error)}")]


def _what(error: ValidationError) -> str:
    """Say what is wrong with one value, and how to write it instead."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        return _wrong_type(error)
    if kind == "pattern":
        return f"'{value}' {PATTERN_HINTS.get(expected, 'does not match ' + expected)}"
    if kind == "enum":
        return f"'{value}' is not allowed: use one of {', '.join(map(str, expected))}"
    if kind in ("minItems", "minProperties"):
        return f"has {len(value)}: give at least {expected}" if value else "is empty: fill it in"
    if kind == "uniqueItems":
        return "lists the same value twice: list each once"
    if kind == "minimum":
        return f"{value} is too small: use {expected} or more"
    if kind == "minLength":
        return "is empty: write a value"
    return error.message


def _wrong_type(error: ValidationError) -> str:
    value, expected = error.instance, error.validator_value
    if _is_text(error.schema):
        wanted = "a text: one line per language (en: ...)"
    else:
        wanted = TYPE_NAMES.get(expected, str(expected))
    # YAML turns 1, 2.5 or true into numbers and booleans; quotes keep them text.
    scalar = isinstance(value, int | float) and expected == "string"
    return f"must be {wanted}, not {_kind_of(value)}{' (write it in quotes)' if scalar else ''}"


def _unknown_key(error: ValidationError, where: str, key: Any) -> str:
    allowed = list(error.schema.get("properties", {}))
    if _is_text(error.schema):
        return f"{where}: '{key}' is not a language code: use one of {', '.join(LANGUAGES)}"
    close = difflib.get_close_matches(str(key), allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return (
        f"{where}: unknown key '{key}'{_for_type(error)}: {hint}remove it or use one "
        f"of: {', '.join(allowed)}"
    )


def _for_type(error: ValidationError) -> str:
    """Name the question type when the keys allowed depend on it."""
    type_schema = error.schema.get("properties", {}).get("type", {})
    return f" for a {type_schema['const']} question" if "const" in type_schema else ""


def _is_text(schema: dict[str, Any]) -> bool:
    return set(schema.get("properties", {})) == set(LANGUAGES)


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "a mapping"


def describe(data: Any, path: list[str | int]) -> str:
    """Name a place in the file: ``sections[intro].questions[offence].label``."""
    parts: list[str] = []
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
        if isinstance(step, int):
            name = node.get("key", node.get("code")) if isinstance(node, dict) else None
            parts.append(f"[{name if isinstance(name, str) else step}]")
        else:
            parts.append(f".{step}" if parts else str(step))
    return "".join(parts) or "the file"
