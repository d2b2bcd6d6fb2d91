"""Personal links: unguessable tokens of which only a SHA-256 hash is kept."""

from __future__ import annotations

import csv
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import BindParameter, Select, select, update
from sqlalchemy.orm import Session

from survey.models import Invitation, InvitationToken, Participant, Questionnaire
from survey.models.columns import utcnow
from survey.services.csv_safety import safe_cell

TOKEN_BYTES = 32  # 256 bits
# token_urlsafe(32): 43 characters of the URL-safe base64 alphabet, no padding.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")

NEW, REISSUED, ALREADY_ISSUED, REVOKED = "new", "reissued", "already issued", "revoked"
STATUS_TEXT = {
    NEW: "new link",
    REISSUED: "new link; links sent before still work",
    ALREADY_ISSUED: "link already issued; it cannot be shown again (only its hash is kept): "
    "use --reissue for a new one",
    REVOKED: "link revoked; no link",
}
LINKS_CSV_COLUMNS = ("name", "email", "country", "language", "link", "status")


def hash_token(token: str) -> str:
    """The SHA-256 hex digest kept in place of a token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def link_url(base_url: str, token: str) -> str:
    """The personal link for a token, on the configured public address (never the request's)."""
    return f"{base_url.rstrip('/')}/r/{token}"


def find_questionnaire(session: Session, slug: str) -> Questionnaire | None:
    """The questionnaire with this slug, or None."""
    return session.scalar(select(Questionnaire).where(Questionnaire.slug == slug))


def issue_link(session: Session, questionnaire: Questionnaire, participant: Participant) -> str:
    """Give the participant a new link to the questionnaire and return its token.

    Links issued before keep working: an expert may still have the first e-mail's page open.
    A revoked invitation is given back by this act, with only the new link working.
    """
    invitation = session.scalar(
        select(Invitation).where(
            Invitation.questionnaire_id == questionnaire.id,
            Invitation.participant_id == participant.id,
        )
    )
    token = _new_token(session, questionnaire, participant, invitation)
    session.flush()
    return token


def _new_token(
    session: Session,
    questionnaire: Questionnaire,
    participant: Participant,
    invitation: Invitation | None,
) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if invitation is None:
        invitation = Invitation(questionnaire_id=questionnaire.id, participant=participant)
        session.add(invitation)
    # The links of a revoked invitation were revoked with it, one by one: they stay dead.
    invitation.revoked_at = None
    session.add(InvitationToken(invitation=invitation, token_hash=hash_token(token)))
    return token


def find_invitation(session: Session, token: str) -> Invitation | None:
    """The live invitation of a token; None if it is malformed, unknown or revoked."""
    # Refuse what token_urlsafe cannot have made before hashing or asking the database.
    if not is_well_formed(token):
        return None
    return session.scalar(select_live_invitation(token))


def is_well_formed(token: object) -> bool:
    """Whether ``token`` is something token_urlsafe can have made."""
    return isinstance(token, str) and _TOKEN.fullmatch(token) is not None


def select_live_invitation(token: str | BindParameter) -> Select:
    """The query for the live invitation of a well-formed token, or of a token's hash bound
    later (``bindparam``, for a query built once); callers may join more to it."""
    token_hash = token if isinstance(token, BindParameter) else hash_token(token)
    return (
        select(Invitation)
        .join(InvitationToken, InvitationToken.invitation_id == Invitation.id)
        .where(
            InvitationToken.token_hash == token_hash,
            InvitationToken.revoked_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    )


def revoke(session: Session, invitation: Invitation) -> None:
    """Make every link of the invitation stop working (issue_link gives a new one)."""
    now = utcnow()
    if invitation.revoked_at is None:
        invitation.revoked_at = now
    session.execute(
        update(InvitationToken)
        .where(
            InvitationToken.invitation_id == invitation.id,
            InvitationToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    session.flush()


@dataclass(frozen=True)
class LinkRow:
    participant: Participant
    status: str  # NEW, REISSUED, ALREADY_ISSUED or REVOKED
    token: str | None = None


def issue_links(
    session: Session, questionnaire: Questionnaire, *, reissue: bool = False
) -> list[LinkRow]:
    """A link for every participant without one; with ``reissue``, new links for the others too
    (their earlier links keep working).

    Revoked invitations stay revoked: give one back with issue_link.
    """
    invitations = {
        i.participant_id: i
        for i in session.scalars(
            select(Invitation).where(Invitation.questionnaire_id == questionnaire.id)
        )
    }
    rows = []
    for person in session.scalars(select(Participant).order_by(Participant.name, Participant.id)):
        invitation = invitations.get(person.id)
        if invitation is None:
            rows.append(LinkRow(person, NEW, _new_token(session, questionnaire, person, None)))
        elif invitation.revoked_at is not None:
            rows.append(LinkRow(person, REVOKED))
        elif reissue:
            token = _new_token(session, questionnaire, person, invitation)
            rows.append(LinkRow(person, REISSUED, token))
        else:
            rows.append(LinkRow(person, ALREADY_ISSUED))
    session.flush()
    return rows


def write_links_csv(rows: Iterable[LinkRow], base_url: str, out: TextIO) -> None:
    """Write the rows for a mail merge: a BOM for Excel, formula-like cells neutralised.

    ``out`` must be opened with ``newline=""``.
    """
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(LINKS_CSV_COLUMNS)
    for row in rows:
        person = row.participant
        link = link_url(base_url, row.token) if row.token else ""
        cells = (person.name, person.email, person.country_iso3, person.language, link)
        writer.writerow([safe_cell(c) for c in (*cells, STATUS_TEXT[row.status])])


def invitation_status(invitation: Invitation | None) -> str:
    """Where a participant stands with one questionnaire, in a word or two."""
    if invitation is None:
        return "no link"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.has_submitted:
        return "submitted"
    return "opened" if invitation.first_opened_at is not None else "link issued"
