"""Which responses a dashboard counts (filters) and how it splits them (breakdown)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from sqlalchemy import ColumnElement, select

from survey import countries
from survey.models import QuestionnaireVersion, Response, Submission
from survey.stakeholders import STAKEHOLDER_GROUPS

# A breakdown's name -> the column (of ``response`` and of the tallies) holding each group.
BREAKDOWNS: dict[str, str] = {
    "region": "region_code",
    "subregion": "subregion_code",
    "stakeholder_group": "stakeholder_group",
    "country": "country_iso3",
}


@dataclass(frozen=True)
class Filters:
    """Attributes a counted response must have; None lets every value through."""

    region_code: str | None = None
    subregion_code: str | None = None
    stakeholder_group: str | None = None
    country_iso3: str | None = None
    version: int | None = None

    def conditions(
        self, questionnaire_id: int, response=Response, submission=Submission
    ) -> list[ColumnElement[bool]]:
        """SQL conditions on ``response`` and ``submission`` (or aliases of them)."""
        found: list[ColumnElement[bool]] = []
        for name in ("region_code", "subregion_code", "stakeholder_group", "country_iso3"):
            value = getattr(self, name)
            if value is not None:
                found.append(getattr(response, name) == value)
        if self.version is not None:
            versions = select(QuestionnaireVersion.id).where(
                QuestionnaireVersion.questionnaire_id == questionnaire_id,
                QuestionnaireVersion.number == self.version,
            )
            found.append(submission.questionnaire_version_id.in_(versions))
        return found

    def without_version(self) -> Filters:
        """The same filters on the respondent, for any version."""
        return Filters(**{**self.as_dict(), "version": None})

    def as_dict(self) -> dict[str, str | int | None]:
        """The filters by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def is_empty(self) -> bool:
        """Whether no filter is set."""
        return all(value is None for value in self.as_dict().values())


@dataclass(frozen=True)
class Selection:
    """Filters and breakdown read from a request, with what could not be read."""

    filters: Filters = Filters()
    breakdown: str | None = None
    errors: dict[str, str] = field(default_factory=dict)


# Request argument -> (Filters field, check returning the clean value or None).
def _region(value: str) -> str | None:
    found = countries.region(value)
    return found.code if found and found.parent_code is None else None


def _subregion(value: str) -> str | None:
    found = countries.region(value)
    return found.code if found and found in countries.subregions() else None


def _group(value: str) -> str | None:
    return value if value in STAKEHOLDER_GROUPS else None


def _country(value: str) -> str | None:
    found = countries.country(value)
    return found.iso3 if found else None


def _version(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else None


ARGUMENTS = {
    "region": ("region_code", _region),
    "subregion": ("subregion_code", _subregion),
    "group": ("stakeholder_group", _group),
    "country": ("country_iso3", _country),
    "version": ("version", _version),
}


def parse_selection(args: Mapping[str, str]) -> Selection:
    """Read filters and breakdown from request arguments; report (and ignore) bad values."""
    values: dict[str, str | int] = {}
    errors: dict[str, str] = {}
    for argument, (name, check) in ARGUMENTS.items():
        raw = (args.get(argument) or "").strip()
        if not raw:
            continue
        clean = check(raw)
        if clean is None:
            errors[argument] = raw
        else:
            values[name] = clean
    breakdown = (args.get("by") or "").strip() or None
    if breakdown is not None and breakdown not in BREAKDOWNS:
        errors["by"] = breakdown
        breakdown = None
    return Selection(Filters(**values), breakdown, errors)


def selection_args(selection: Selection) -> dict[str, str]:
    """The request arguments that give ``selection`` back (for links that keep the filters)."""
    names = {name: argument for argument, (name, _check) in ARGUMENTS.items()}
    found = {
        names[name]: str(value)
        for name, value in selection.filters.as_dict().items()
        if value is not None
    }
    if selection.breakdown:
        found["by"] = selection.breakdown
    return found
