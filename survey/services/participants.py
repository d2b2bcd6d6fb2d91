"""The participant list: importing it all or nothing, updating people found by e-mail."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey.models import Invitation, Participant, Questionnaire
from survey.services.participant_csv import (
    MAX_BYTES,
    MAX_ROWS,
    ImportResult,
    ParticipantRow,
    Problem,
    parse_participant_csv,
)

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportResult",
    "ParticipantRow",
    "Problem",
    "import_participants",
    "list_participants",
    "parse_participant_csv",
]


def import_participants(session: Session, data: bytes) -> ImportResult:
    """Create or update (by e-mail) every participant of the list, or, on any error, none.

    The work joins the caller's transaction, which commits it; nothing is written on error.
    """
    result = parse_participant_csv(data)
    if not result.ok:
        return result
    existing = _by_email(session, [row.email for row in result.rows])
    for row in result.rows:
        fields = row.attributes()
        person = existing.get(row.email)
        if person is None:
            session.add(Participant(email=row.email, **fields))
            result.created += 1
        elif any(getattr(person, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(person, k, v)
            result.updated += 1
        else:
            result.unchanged += 1
    session.flush()
    return result


def list_participants(
    session: Session, questionnaire: Questionnaire | None = None
) -> list[tuple[Participant, Invitation | None]]:
    """Every participant by name, with their invitation to ``questionnaire`` if one is given."""
    order = (Participant.name, Participant.id)
    if questionnaire is None:
        return [(person, None) for person in session.scalars(select(Participant).order_by(*order))]
    query = (
        select(Participant, Invitation)
        .outerjoin(
            Invitation,
            (Invitation.participant_id == Participant.id)
            & (Invitation.questionnaire_id == questionnaire.id),
        )
        .order_by(*order)
    )
    return [(person, invitation) for person, invitation in session.execute(query)]


def _by_email(session: Session, emails: list[str]) -> dict[str, Participant]:
    found: dict[str, Participant] = {}
    # In chunks: SQLite caps the number of parameters of one statement.
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        found.update(
            (p.email, p)
            for p in session.scalars(select(Participant).where(Participant.email.in_(chunk)))
        )
    return found
