"""The responses a dashboard counts: current submissions under the filters, by group."""

from __future__ import annotations

from sqlalchemy import Select, func, literal_column, select

from survey.analysis.filters import BREAKDOWNS, Filters
from survey.analysis.suppression import ALL
from survey.models import Response, Submission


def population(questionnaire_id: int, filters: Filters) -> Select:
    """A SELECT over the current submissions of the questionnaire that the filters let in."""
    return (
        select()
        .select_from(Response)
        .join(Submission, Submission.id == Response.current_submission_id)
        .where(Response.questionnaire_id == questionnaire_id, *filters.conditions(questionnaire_id))
    )


def group_expression(breakdown: str | None):
    """The respondent's group: the breakdown's column ("" where unknown), or ``ALL``."""
    if breakdown is None:
        return literal_column(f"'{ALL}'")
    return func.coalesce(BREAKDOWNS[breakdown], "")


def group_column(breakdown: str | None):
    """The respondent's group, labelled ``grp``."""
    return group_expression(breakdown).label("grp")


def grouped(stmt: Select, breakdown: str | None, *columns) -> Select:
    """GROUP BY ``columns``, and by the group's label when there is a breakdown."""
    # By label: PostgreSQL does not match an expression with bind parameters to its twin.
    extra = [literal_column("grp")] if breakdown else []
    return stmt.group_by(*columns, *extra)
