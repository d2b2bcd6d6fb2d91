"""Read a questionnaire file safely, keeping the line of every key and list item."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import yaml
from yaml.composer import ComposerError
from yaml.parser import ParserError
from yaml.scanner import ScannerError

from survey.questionnaires.build import build_questionnaire
from survey.questionnaires.model import Questionnaire
from survey.questionnaires.problems import DefinitionError, Problem
from survey.questionnaires.schema import schema_problems

__all__ = ["MAX_BYTES", "DefinitionError", "Problem", "load_definition", "read_yaml"]

MAX_BYTES = 1_000_000


class LineDict(dict):
    """A YAML mapping that knows the line of each of its keys."""

    line: int = 1
    lines: dict[Any, int]


class LineList(list):
    """A YAML sequence that knows the line of each of its items."""

    line: int = 1
    lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps lines, reports duplicate keys and refuses aliases.

    Booleans are YAML 1.2's (true/false only), as an editor's YAML language server reads
    them: under YAML 1.1 the country code ``NO`` or a label ``No`` would silently become
    ``False``. Timestamps stay strings: the schema wants ``YYYY-MM-DD`` text, not dates.
    """

    yaml_implicit_resolvers: ClassVar = {
        first: [
            r
            for r in resolvers
            if r[0] not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems: list[tuple[int, str]] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        # An alias can expand exponentially ("billion laughs"); a questionnaire never needs one.
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise ComposerError(
                None, None, "aliases (*name) are not allowed: write the value out in full", mark
            )
        return super().compose_node(parent, index)

    def fill_mapping(self, mapping: LineDict, node: yaml.MappingNode) -> None:
        """Construct the pairs of ``node`` into ``mapping``, noting lines and duplicates."""
        self.flatten_mapping(node)
        mapping.line, mapping.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                self.problems.append((line, f"key {key!r} is not a word: write it in quotes"))
                key = str(key)
            if key in mapping.lines:
                first = mapping.lines[key]
                message = f"key '{key}' is given twice (first at line {first}): keep one"
                # PyYAML would silently keep the last value and lose the first.
                self.problems.append((line, message))
            mapping[key] = self.construct_object(value_node)
            mapping.lines[key] = line


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterable[LineDict]:
    mapping = LineDict()
    yield mapping
    loader.fill_mapping(mapping, node)


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> Iterable[LineList]:
    items = LineList()
    yield items
    items.line = node.start_mark.line + 1
    items.lines = [item.start_mark.line + 1 for item in node.value]
    items.extend(loader.construct_object(item) for item in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(
    path: Path, questions_dir: Path, max_bytes: int = MAX_BYTES
) -> tuple[Any, list[Problem]]:
    """Return a file's data and its duplicate-key problems; raise DefinitionError if unreadable."""
    file = str(path)
    text = _read_text(path, questions_dir, max_bytes)
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        raise DefinitionError([_syntax_problem(file, error)]) from None
    except yaml.YAMLError as error:
        raise DefinitionError([Problem(file, None, f"invalid YAML: {error}")]) from None
    finally:
        loader.dispose()
    return data, [Problem(file, line, message) for line, message in loader.problems]


def _read_text(path: Path, questions_dir: Path, max_bytes: int) -> str:
    """Return the file's text if it lies inside ``questions_dir`` and is small enough."""
    real = path.resolve()
    if not real.is_relative_to(questions_dir.resolve()):
        message = f"the file is outside {questions_dir} (once links are followed): move it there"
        _refuse(path, message)
    if not real.is_file():  # also keeps a FIFO or a device from blocking the read
        _refuse(path, "there is no such file: check the name")
    with real.open("rb") as stream:
        # Never read more than the limit, even if the file grows while we look at it.
        raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        _refuse(path, f"the file is larger than {max_bytes} bytes: shorten it")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = f"the file is not UTF-8 (byte {error.start}): save it as UTF-8"
    _refuse(path, problem)


def _refuse(path: Path, message: str) -> NoReturn:
    raise DefinitionError([Problem(str(path), None, message)])


def _syntax_problem(file: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = f"invalid YAML: {error.problem}"
    if error.context and error.context_mark:
        # The context often points at the real mistake, a few lines before the problem.
        message += f" ({error.context} at line {error.context_mark.line + 1})"
    if isinstance(error, ScannerError | ParserError):
        message += ": check the indentation, colons and quotes"
    return Problem(file, mark.line + 1 if mark else None, message)


def load_definition(path: Path, questions_dir: Path, max_bytes: int = MAX_BYTES) -> Questionnaire:
    """Read, validate against the schema and build a questionnaire; raise DefinitionError.

    The meaning (unique keys, conditions, pairs, dates...) is checked by
    ``checker.check_files``: run it before storing a definition.
    """
    data, problems = read_yaml(path, questions_dir, max_bytes)
    problems += schema_problems(data, str(path))
    if problems:
        raise DefinitionError(problems)
    try:
        return build_questionnaire(data)
    except ValueError as error:
        raise DefinitionError([Problem(str(path), None, str(error))]) from None
