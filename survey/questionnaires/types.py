"""The question types of the questionnaire format, and the answer codes each offers to show_if."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

QUESTION_TYPES: tuple[str, ...] = (
    "single_choice",
    "multiple_choice",
    "scale",
    "grid",
    "number",
    "short_text",
    "long_text",
    "country",
    "ranking",
    "date",
    "yes_no",
)

# Codes of the choices the service adds itself; a file may not list them as options.
RESERVED_CODES: tuple[str, ...] = ("other", "dont_know")
YES_NO_CODES: tuple[str, ...] = ("yes", "no")


@dataclass(frozen=True)
class ShowIfCodes:
    """Where the codes a type can produce come from.

    ``listed`` names the question's own list ("options" or "scale"), ``fixed`` are codes every
    question of the type has, ``added`` the optional extra choices switched on by a flag of
    the same name (``other: true`` adds the code ``other``).
    """

    listed: str | None = None
    fixed: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


# A type missing here cannot be the subject of a show_if condition.
SHOW_IF_CODES: dict[str, ShowIfCodes] = {
    "single_choice": ShowIfCodes(listed="options", added=RESERVED_CODES),
    "multiple_choice": ShowIfCodes(listed="options", added=RESERVED_CODES),
    "scale": ShowIfCodes(listed="scale", added=("dont_know",)),
    "yes_no": ShowIfCodes(fixed=YES_NO_CODES, added=("dont_know",)),
}


def answer_codes(type_name: str, listed: Iterable[str], flags: Iterable[str]) -> frozenset[str]:
    """Return the codes a question can be answered with, as show_if sees them (empty: none)."""
    source = SHOW_IF_CODES.get(type_name)
    if source is None:
        return frozenset()
    codes = set(source.fixed) | (set(listed) if source.listed else set())
    return frozenset(codes | (set(source.added) & set(flags)))
