"""Names and order of the tracking tables' rows, in the page's language."""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import format_percent, gettext
from flask_babel import lazy_gettext as _l

from survey import countries
from survey.services.tracking import Counts, Tracking
from survey.stakeholders import STAKEHOLDER_GROUPS, stakeholder_label

TITLES = {
    "region": _l("By UN region"),
    "subregion": _l("By sub-region"),
    "stakeholder_group": _l("By stakeholder group"),
    "country": _l("By country"),
}
GROUP_HEADERS = {
    "region": _l("Region"),
    "subregion": _l("Sub-region"),
    "stakeholder_group": _l("Stakeholder group"),
    "country": _l("Country"),
}


@dataclass(frozen=True)
class Row:
    label: str
    counts: Counts


def label(dimension: str, key: str, lang: str) -> str:
    """The name of a group: a region, stakeholder group or country, in ``lang``."""
    if not key:
        return gettext("Unknown")
    if dimension == "stakeholder_group":
        return stakeholder_label(key)
    if dimension == "country":
        return countries.country_name(key, lang) or key
    region = countries.region(key)
    # The region names are gettext messages (survey/region_names.py): translated where known.
    return gettext(region.name) if region else key


def rows(found: Tracking, dimension: str, lang: str) -> list[Row]:
    """The groups of one dimension with their names, in a reader's order."""
    named = [Row(label(dimension, c.key, lang), c) for c in found.by[dimension]]
    if dimension == "stakeholder_group":
        order = {code: i for i, code in enumerate(STAKEHOLDER_GROUPS)}
        return sorted(named, key=lambda r: (order.get(r.counts.key, len(order)), r.label))
    return sorted(named, key=lambda r: (not r.counts.key, countries.sort_key(r.label)))


def without_answer(found: Tracking, dimension: str, lang: str) -> list[str]:
    """The names of the groups with people invited but no submission, sorted."""
    names = [label(dimension, c.key, lang) for c in found.without_answer(dimension)]
    return sorted(names, key=countries.sort_key)


def helpers(lang: str) -> dict:
    """Functions the tracking templates use to write numbers and names."""
    return {
        "percent": lambda rate: format_percent(rate),
        "country_name": lambda iso3: countries.country_name(iso3, lang) or iso3,
        "group_name": stakeholder_label,
        "list_text": lambda names: format_list(list(names), locale=lang),
    }
