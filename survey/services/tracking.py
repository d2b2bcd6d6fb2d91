"""Response tracking: who was invited, opened, is drafting, submitted, edited — counted in SQL.

Every count is one ``GROUP BY`` over the invitations, joined to the participants' attributes;
a country's UN region comes from the M49 data as a ``CASE`` expression in the same query. For
anonymous questionnaires only what the invitation itself knows is counted (invited, opened,
submitted): nothing about answers or their timing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, literal_column, select
from sqlalchemy.orm import Session

from survey import countries
from survey.models import Invitation, Participant, Questionnaire, Response, Submission
from survey.services import links
from survey.services.accounts import audit

DIMENSIONS = ("region", "subregion", "stakeholder_group", "country")
OVERALL = "*"


@dataclass(frozen=True)
class Counts:
    """The counts of one group; ``draft`` and ``edited`` are None for anonymous questionnaires."""

    key: str  # the group's code: M49 region, stakeholder group, ISO3 ("" if unknown)
    invited: int
    opened: int
    submitted: int
    draft: int | None = None
    edited: int | None = None

    @property
    def rate(self) -> float:
        """The share of the invited who have submitted, 0 to 1."""
        return self.submitted / self.invited if self.invited else 0.0


@dataclass(frozen=True)
class Tracking:
    """The counts of a questionnaire: overall and by each dimension."""

    anonymous: bool
    overall: Counts
    by: dict[str, list[Counts]] = field(default_factory=dict)

    def without_answer(self, dimension: str) -> list[Counts]:
        """The groups of ``dimension`` with people invited but no submission yet."""
        return [c for c in self.by[dimension] if c.invited and not c.submitted]


@dataclass(frozen=True)
class Pending:
    """A participant who has not submitted, as admins see them on the tracking page."""

    participant: Participant
    opened: bool
    last_reminded_at: datetime | None


def tracking(session: Session, questionnaire: Questionnaire) -> Tracking:
    """Count the questionnaire's live invitations, overall and by every dimension."""
    overall = _counts(session, questionnaire, None)
    by = {dimension: _counts(session, questionnaire, dimension) for dimension in DIMENSIONS}
    return Tracking(questionnaire.anonymous, overall[0], by)


def _counts(session: Session, questionnaire: Questionnaire, dimension: str | None) -> list[Counts]:
    group = _group(dimension).label("grp")
    stmt = _counting(questionnaire).add_columns(group)
    if dimension is not None:
        # By label: PostgreSQL would not match a CASE with bound parameters to its twin.
        stmt = stmt.group_by(literal_column("grp"))
    # Without GROUP BY an aggregate gives exactly one row, with zeros when nobody is invited.
    return [_row_counts(questionnaire.anonymous, row) for row in session.execute(stmt)]


def _counting(questionnaire: Questionnaire) -> Select:
    columns: list[ColumnElement] = [
        func.count(Invitation.id).label("invited"),
        func.count(Invitation.first_opened_at).label("opened"),
        func.count(case((Invitation.has_submitted.is_(True), 1))).label("submitted"),
    ]
    stmt = (
        select(*columns)
        .select_from(Invitation)
        .join(Participant, Participant.id == Invitation.participant_id)
        .where(Invitation.questionnaire_id == questionnaire.id, Invitation.revoked_at.is_(None))
    )
    if questionnaire.anonymous:
        return stmt  # answers are not linked to people: count nothing of them
    started = and_(Response.id.is_not(None), Response.current_submission_id.is_(None))
    return (
        stmt.add_columns(
            func.count(case((started, 1))).label("draft"),
            func.count(case((Submission.number > 1, 1))).label("edited"),
        )
        .outerjoin(
            Response,
            and_(
                Response.questionnaire_id == Invitation.questionnaire_id,
                Response.participant_id == Invitation.participant_id,
            ),
        )
        .outerjoin(Submission, Submission.id == Response.current_submission_id)
    )


def _group(dimension: str | None) -> ColumnElement:
    if dimension is None:
        return literal(OVERALL)
    if dimension == "stakeholder_group":
        return Participant.stakeholder_group
    if dimension == "country":
        return Participant.country_iso3
    attribute = {"region": "region_code", "subregion": "subregion_code"}[dimension]
    codes = {c.iso3: getattr(c, attribute) for c in countries.all_countries()}
    return case({k: v for k, v in codes.items() if v}, value=Participant.country_iso3, else_="")


def _row_counts(anonymous: bool, row) -> Counts:
    extra = {} if anonymous else {"draft": row.draft, "edited": row.edited}
    return Counts(row.grp or "", row.invited, row.opened, row.submitted, **extra)


def not_submitted(session: Session, questionnaire: Questionnaire) -> list[Pending]:
    """Everyone with a live invitation who has not submitted, by name: who a reminder goes to."""
    rows = session.execute(
        select(Participant, Invitation.first_opened_at, Invitation.last_reminded_at)
        .join(Invitation, Invitation.participant_id == Participant.id)
        .where(
            Invitation.questionnaire_id == questionnaire.id,
            Invitation.revoked_at.is_(None),
            Invitation.has_submitted.is_(False),
        )
        .order_by(Participant.name, Participant.id)
    )
    return [Pending(person, opened is not None, reminded) for person, opened, reminded in rows]


def not_submitted_count(session: Session, questionnaire: Questionnaire) -> int:
    """How many people a reminder would go to now."""
    return session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.questionnaire_id == questionnaire.id,
            Invitation.revoked_at.is_(None),
            Invitation.has_submitted.is_(False),
        )
    )


def participant_count(session: Session) -> int:
    """How many people the participant list holds."""
    return session.scalar(select(func.count(Participant.id)))


# --- Links to hand out ------------------------------------------------------------------------


def reissue_pending_links(
    session: Session, questionnaire: Questionnaire, staff_id: int | None
) -> list[links.LinkRow]:
    """A new link for everyone who has not submitted (earlier links keep working); audited."""
    rows = [
        links.LinkRow(
            p.participant, links.REISSUED, links.issue_link(session, questionnaire, p.participant)
        )
        for p in not_submitted(session, questionnaire)
    ]
    audit(
        session,
        "links_exported",
        staff_id=staff_id,
        questionnaire=questionnaire.slug,
        who="not submitted",
        rows=len(rows),
    )
    return rows


def issue_all_links(
    session: Session, questionnaire: Questionnaire, reissue: bool, staff_id: int | None
) -> list[links.LinkRow]:
    """Links for everyone on the list (see ``links.issue_links``); audited."""
    rows = links.issue_links(session, questionnaire, reissue=reissue)
    audit(
        session,
        "links_exported",
        staff_id=staff_id,
        questionnaire=questionnaire.slug,
        who="everyone",
        reissue=reissue,
        rows=sum(row.token is not None for row in rows),
    )
    return rows


def links_csv(rows: list[links.LinkRow], base_url: str) -> str:
    """The rows as CSV text for a spreadsheet: BOM, formula-like cells neutralised."""
    out = io.StringIO(newline="")
    links.write_links_csv(rows, base_url, out)
    return out.getvalue()
