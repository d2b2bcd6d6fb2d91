"""Check questionnaire files: each alone (syntax, schema, meaning), then ids and pairs across."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from survey.questionnaires.loader import read_yaml
from survey.questionnaires.meaning import meaning_problems, questions, resolved
from survey.questionnaires.problems import DefinitionError, Problem, line_of
from survey.questionnaires.schema import describe, schema_problems

Definitions = dict[Path, dict[str, Any]]


def check_files(
    paths: list[Path], questions_dir: Path, default_timezone: str
) -> dict[Path, list[Problem]]:
    """Return the problems of each file (an empty list when it is fine), all at once."""
    try:
        ZoneInfo(default_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"default time zone {default_timezone!r} is not an IANA name") from None
    results: dict[Path, list[Problem]] = {}
    checked: Definitions = {}
    for path in paths:
        data, results[path] = check_file(path, questions_dir, default_timezone)
        if data is not None:
            checked[path] = data
    for path, where, message in _across_files(checked, questions_dir):
        data = checked[path]
        results[path].append(
            Problem(str(path), line_of(data, where), f"{describe(data, where)}: {message}")
        )
    return {path: sorted(found, key=lambda p: p.line or 0) for path, found in results.items()}


def check_file(
    path: Path, questions_dir: Path, default_timezone: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Return a file's data (None unless it passes the schema) and its own problems."""
    try:
        data, problems = read_yaml(path, questions_dir)
    except DefinitionError as error:
        return None, error.problems
    found = schema_problems(data, str(path))
    if found:
        return None, problems + found
    return data, problems + meaning_problems(data, str(path), default_timezone)


def _across_files(checked: Definitions, questions_dir: Path) -> Iterator[tuple[Path, list, str]]:
    """Yield the problems between files: shared ids, and pairs that do not match."""
    for path, data in checked.items():
        others = [str(p) for p, d in checked.items() if p != path and d["id"] == data["id"]]
        if others:
            message = f"'{data['id']}' is also the id of {', '.join(others)}: use another id"
            yield path, ["id"], message
    if any("pairs_with" in data or _pairs(data) for data in checked.values()):
        known = _definitions_in(questions_dir, checked)
        for path, data in checked.items():
            for where, message in _pair_problems(data, known, questions_dir):
                yield path, where, message


def _pairs(data: dict[str, Any]) -> bool:
    return any("pair" in question for _, question in questions(data))


def _definitions_in(questions_dir: Path, checked: Definitions) -> Definitions:
    """Return the schema-valid definitions in ``questions_dir`` and among those checked."""
    known = {path.resolve(): data for path, data in checked.items()}
    for path in sorted(questions_dir.rglob("*.yaml")):
        if path.resolve() not in known:
            try:
                data, _ = read_yaml(path, questions_dir)
            except DefinitionError:
                continue
            if not schema_problems(data, str(path)):
                known[path.resolve()] = data
    return known


def _pair_problems(data: dict[str, Any], known: Definitions, folder: Path) -> list[tuple]:
    """Check that ``pairs_with`` names a questionnaire that pairs back, and every ``pair``."""
    partner_id = data.get("pairs_with")
    if partner_id is None:
        message = "pair needs a paired questionnaire: add pairs_with at the top"
        return [([*where, "pair"], message) for where, q in questions(data) if "pair" in q]
    partners = [(path, d) for path, d in known.items() if d["id"] == partner_id]
    names = ", ".join(_name(path, folder) for path, _ in partners)
    if partner_id == data["id"]:
        message = "a questionnaire cannot pair with itself: use the id of the other one"
    elif not partners:
        message = f"no questionnaire in {folder} has the id '{partner_id}': use an existing id"
    elif len(partners) > 1:
        message = f"several files have the id '{partner_id}' ({names}): give each its own id"
    elif partners[0][1].get("pairs_with") != data["id"]:
        message = f"'{partner_id}' does not pair back: set 'pairs_with: {data['id']}' in {names}"
    else:
        return list(_question_pairs(data, partners[0][1]))
    return [(["pairs_with"], message)]


def _question_pairs(data: dict[str, Any], partner: dict[str, Any]) -> Iterator[tuple]:
    """Yield a problem for each ``pair`` the partner has no compatible question for."""
    theirs = {question["key"]: question for _, question in questions(partner)}
    for where, question in questions(data):
        if "pair" in question:
            message = _mismatch(data, question, partner, theirs.get(question["pair"]))
            if message:
                yield [*where, "pair"], message


def _mismatch(data: dict, question: dict, partner: dict, other: dict | None) -> str | None:
    """Say why ``other`` cannot be the pair of ``question``; None if it can."""
    name = f"question '{question['pair']}' of '{partner['id']}'"
    if other is None:
        return f"there is no {name}: use the key of one of its questions"
    if other["type"] != question["type"]:
        return (
            f"{name} is a {other['type']} question, this one a {question['type']}: "
            "pair questions of the same type"
        )
    mine, theirs = _points(data, question), _points(partner, other)
    if None not in (mine, theirs) and mine != theirs:
        return (
            f"{name} has {theirs} scale points, this one {mine}: pair questions on "
            "scales of the same length"
        )
    return None


def _points(data: dict[str, Any], question: dict[str, Any]) -> int | None:
    """Return the number of scale points (None if the named scale is missing)."""
    points = resolved(data, question, "scale")
    return None if points is None else len(points)


def _name(path: Path, questions_dir: Path) -> str:
    """Name a file relative to the questions folder, as a person would look for it."""
    try:
        return str(path.relative_to(questions_dir.resolve()))
    except ValueError:
        return str(path)
