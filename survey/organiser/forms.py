"""The choices of the dashboards' filter form (a GET form: its values are in the URL)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from survey import countries
from survey.analysis.labels import region_name
from survey.stakeholders import STAKEHOLDER_GROUPS

Choices = list[tuple[str, str]]


@dataclass(frozen=True)
class FilterChoices:
    """Every value each filter of the form offers, as (value, label), labels translated."""

    regions: Choices
    subregions: Choices
    groups: Choices
    countries: Choices
    versions: Choices
    breakdowns: Choices


def filter_choices(versions: list[int], lang: str) -> FilterChoices:
    """The form's choices in ``lang``; ``versions`` are the questionnaire's version numbers."""
    return FilterChoices(
        regions=[(r.code, region_name(r.code)) for r in countries.regions()],
        subregions=sorted(
            ((r.code, region_name(r.code)) for r in countries.subregions()),
            key=lambda choice: countries.sort_key(choice[1]),
        ),
        groups=[(code, str(label)) for code, label in STAKEHOLDER_GROUPS.items()],
        countries=[(c.iso3, c.name(lang)) for c in countries.countries_sorted(lang)],
        versions=[(str(n), gettext("Version %(number)s", number=n)) for n in versions],
        breakdowns=[
            ("region", gettext("UN region")),
            ("subregion", gettext("UN sub-region")),
            ("stakeholder_group", gettext("Stakeholder group")),
            ("country", gettext("Country")),
        ],
    )
