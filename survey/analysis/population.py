"""The rows a dashboard counts: the tallies of the current submissions under the filters."""

from __future__ import annotations

from sqlalchemy import Select, literal_column, select

from survey.analysis.filters import BREAKDOWNS, Filters
from survey.analysis.suppression import ALL
from survey.models.tallies import ALL_COUNTRIES


def counted(
    tally,
    questionnaire_id: int,
    filters: Filters,
    breakdown: str | None = None,
    *,
    per_country: bool = False,
) -> Select:
    """A SELECT over the rows of a tally table (``survey.models.tallies``) that the filters
    let in: the rows per country where the filters or the breakdown need the country (or
    ``per_country`` asks), else the fewer rows of all countries together. The tallies carry
    the respondent's attributes and version under the names of responses and submissions."""
    conditions = filters.conditions(questionnaire_id, response=tally, submission=tally)
    if per_country or breakdown == "country" or filters.country_iso3 is not None:
        conditions.append(tally.country_iso3 != ALL_COUNTRIES)
    else:
        conditions.append(tally.country_iso3 == ALL_COUNTRIES)
    return (
        select().select_from(tally).where(tally.questionnaire_id == questionnaire_id, *conditions)
    )


def group_expression(tally, breakdown: str | None):
    """The respondent's group: the breakdown's column ("" where unknown), or ``ALL``."""
    if breakdown is None:
        return literal_column(f"'{ALL}'")
    return getattr(tally, BREAKDOWNS[breakdown])


def group_column(tally, breakdown: str | None):
    """The respondent's group, labelled ``grp``."""
    return group_expression(tally, breakdown).label("grp")


def grouped(stmt: Select, breakdown: str | None, *columns) -> Select:
    """GROUP BY ``columns``, and by the group's label when there is a breakdown."""
    extra = [literal_column("grp")] if breakdown else []
    return stmt.group_by(*columns, *extra)
