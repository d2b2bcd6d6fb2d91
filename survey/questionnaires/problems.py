"""What is wrong with a questionnaire file, and where."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, at a line when it has one."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class DefinitionError(Exception):
    """A questionnaire file cannot be used; ``problems`` says everything that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def line_of(data: Any, path: Iterable[str | int]) -> int | None:
    """Return the line of the key or item at ``path`` in loaded YAML, or of its nearest parent."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        try:
            line, node = node.lines[step], node[step]
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    return line
