"""The format's registries agree: FORMAT.md, schema.json, types.py and the checker's hints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from survey.questionnaires.loader import read_yaml
from survey.questionnaires.problems import DefinitionError, line_of
from survey.questionnaires.schema import PATTERN_HINTS, SCHEMA_PATH
from survey.questionnaires.types import QUESTION_TYPES, SHOW_IF_CODES

FORMAT = SCHEMA_PATH.parent / "FORMAT.md"


def _patterns(node):
    if isinstance(node, dict):
        yield from ([node["pattern"]] if isinstance(node.get("pattern"), str) else [])
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_types_are_those_of_format_md_in_its_order():
    table = re.findall(r"^\| `([a-z_]+)` \|", FORMAT.read_text(encoding="utf-8"), re.MULTILINE)
    assert tuple(name for name in table if name in QUESTION_TYPES) == QUESTION_TYPES
    assert set(SHOW_IF_CODES) <= set(QUESTION_TYPES)


def test_schema_has_every_type_and_a_hint_for_every_pattern():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$defs"]["question"]["properties"]["type"]["enum"] == list(QUESTION_TYPES)
    assert all(f"{name}_question" in schema["$defs"] for name in QUESTION_TYPES)
    assert set(_patterns(schema)) == set(PATTERN_HINTS)


def _read(tmp_path: Path, text: str):
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, tmp_path)


def test_yaml_reads_as_an_editor_does(tmp_path):
    data, problems = _read(tmp_path, "a: NO\nb: yes\nc: true\nd: 2013-02-14\ne: 09:00\n")
    assert data == {"a": "NO", "b": "yes", "c": True, "d": "2013-02-14", "e": "09:00"}
    assert problems == []


def test_yaml_keeps_the_line_of_every_key_and_item(tmp_path):
    data, _ = _read(tmp_path, "a:\n  - x\n  - b:\n      c: 1\n")
    assert line_of(data, ["a", 1, "b", "c"]) == 4
    assert line_of(data, ["a", 1, "nothing"]) == 3


def test_yaml_aliases_are_refused(tmp_path):
    with pytest.raises(DefinitionError, match="aliases") as error:
        _read(tmp_path, "a: &x [1, 2]\nb: [*x, *x]\n")
    assert error.value.problems[0].line == 2


def test_yaml_tags_of_python_objects_are_refused(tmp_path):
    with pytest.raises(DefinitionError, match="invalid YAML"):
        _read(tmp_path, "a: !!python/object/apply:os.system ['true']\n")
