"""An expert's answers: start, save a page, submit, read back — one transaction each.

Every save is checked against the response's ``lock_version``: a save made from a page that
was opened before another device saved is refused as a conflict instead of silently
overwriting the newer answers. Submitting stores a new revision; the latest one counts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from survey import countries
from survey.answering.cleaning import clean
from survey.answering.raw import RawAnswers, is_empty
from survey.answering.storage import to_cells, values_from_rows
from survey.answering.visibility import shown_questions
from survey.export.raw import export_cells
from survey.models import (
    Answer,
    Invitation,
    Questionnaire,
    Response,
    ResponseStatus,
    Submission,
)
from survey.models.columns import utcnow
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import definitions, tallies


class EditConflict(Exception):
    """The answers were saved elsewhere (another device) since this page was opened."""

    def __init__(self, current_lock_version: int):
        super().__init__("answers changed since this page was opened")
        self.current_lock_version = current_lock_version


class QuestionnaireClosed(Exception):
    """The questionnaire does not take answers now."""


@dataclass
class Problems:
    """What stops a submission: invalid answers and required questions left empty."""

    invalid: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.invalid or self.missing)


@dataclass
class SubmitOutcome:
    submission: Submission | None
    problems: Problems
    repeated: bool = False


def pseudonym(secret: str, purpose: str, *parts: object) -> str:
    """A keyed one-way pseudonym: the same inputs give the same value, nothing gives them back."""
    message = ":".join([purpose, *map(str, parts)]).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def respondent_key(secret: str, questionnaire_id: int, participant_id: int) -> str:
    """The key of a participant's response to a questionnaire (``Response.respondent_key``)."""
    return pseudonym(secret, "response", questionnaire_id, participant_id)


def definition_of(questionnaire: Questionnaire) -> Definition:
    """The questionnaire's current definition."""
    session = object_session(questionnaire)
    if session is None:  # detached: only what was loaded with it
        return Definition.from_dict(questionnaire.current_version.definition)
    return definitions.of_version(session, questionnaire.current_version_id)


def find_response(session: Session, invitation: Invitation, secret: str) -> Response | None:
    """The response made through this invitation's participant, if started."""
    key = respondent_key(secret, invitation.questionnaire_id, invitation.participant_id)
    return session.scalar(
        select(Response).where(
            Response.questionnaire_id == invitation.questionnaire_id, Response.respondent_key == key
        )
    )


def start(
    session: Session,
    invitation: Invitation,
    questionnaire: Questionnaire,
    secret: str,
    language: str,
    now: datetime | None = None,
) -> Response:
    """Return the participant's response, creating it on first start."""
    now = now or utcnow()
    if not questionnaire.is_open(now):
        raise QuestionnaireClosed()
    response = find_response(session, invitation, secret)
    if invitation.first_opened_at is None:
        invitation.first_opened_at = now
    if response is not None:
        return response
    participant = invitation.participant
    country = countries.country(participant.country_iso3)
    response = Response(
        questionnaire_id=questionnaire.id,
        respondent_key=respondent_key(secret, questionnaire.id, participant.id),
        pair_key=pseudonym(secret, "pair", participant.id),
        participant_id=None if questionnaire.anonymous else participant.id,
        country_iso3=participant.country_iso3,
        region_code=country.region_code if country else None,
        subregion_code=country.subregion_code if country else None,
        stakeholder_group=participant.stakeholder_group,
        language=language,
        status=ResponseStatus.DRAFT,
        draft={},
        draft_version_id=questionnaire.current_version_id,
        lock_version=0,
        updated_at=_stamp(questionnaire, now),
    )
    session.add(response)
    session.flush()
    return response


def _stamp(questionnaire: Questionnaire, now: datetime) -> datetime:
    """A time precise enough for the secretariat, but only the day when anonymous."""
    if questionnaire.anonymous:
        return datetime(now.year, now.month, now.day, tzinfo=UTC)
    return now


def _lock(session: Session, response_id: int) -> Response:
    """Load the response afresh, holding its row until the transaction ends."""
    return session.scalar(
        select(Response)
        .where(Response.id == response_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _current_lock_version(session: Session, response_id: int) -> int:
    return session.scalar(select(Response.lock_version).where(Response.id == response_id))


def _locked(session: Session, response_id: int, lock_version: int) -> Response:
    """Load the response for writing, or raise EditConflict if it moved on."""
    response = _lock(session, response_id)
    if response.lock_version != lock_version:
        raise EditConflict(response.lock_version)
    return response


def save(
    session: Session,
    response: Response | Any,
    questionnaire: Questionnaire | Any,
    page_raw: RawAnswers,
    page_key: str | None,
    lock_version: int,
    now: datetime | None = None,
) -> Response | Any:
    """Merge a page's raw answers into the draft, as typed; raise EditConflict or Closed.

    ``response`` is the ORM object, or a frozen snapshot of its row as a request read it
    (``survey.respondent.context.ResponseSeen``; then a snapshot of the row as saved comes
    back). A save of a snapshot is one statement, so it needs no transaction: the request
    read the row after the page it posts was saved, and lock versions only grow, so a row
    not at the version posted has moved on, and that is a conflict without a locking read."""
    now = now or utcnow()
    if not questionnaire.is_open(now):
        raise QuestionnaireClosed()
    changes = _saved_as_read(
        session, response, questionnaire, page_raw, page_key, lock_version, now
    )
    if not isinstance(response, Response):
        if changes is None:
            raise EditConflict(_current_lock_version(session, response.id))
        return dataclasses.replace(response, **changes)
    if changes is not None:
        for name, value in changes.items():  # as written, without another flush
            set_committed_value(response, name, value)
        return response
    response = _locked(session, response.id, lock_version)
    response.draft = {**response.draft, **page_raw}
    response.current_page = page_key
    response.lock_version = lock_version + 1
    response.updated_at = _stamp(questionnaire, now)
    return response


def _saved_as_read(
    session: Session,
    response: Response | Any,
    questionnaire: Questionnaire | Any,
    page_raw: RawAnswers,
    page_key: str | None,
    lock_version: int,
    now: datetime,
) -> dict[str, Any] | None:
    """Save onto the draft as it was read, in one UPDATE that applies only if the row is
    still at ``lock_version``; the changes written, or None if it is not (or was not read
    so), for the locking read to decide.

    Every change of a draft moves its lock version on, so a row still at the version read
    still holds the draft read: the merge is the same as after a locking read, without its
    round trip. On PostgreSQL a concurrent save makes this UPDATE wait, then find the row
    moved on and change nothing. An ORM object of another session may hold changes not
    written: only this session's count as read."""
    if isinstance(response, Response) and object_session(response) is not session:
        return None
    if response.lock_version != lock_version:
        return None
    changes = {
        "draft": {**response.draft, **page_raw},
        "current_page": page_key,
        "lock_version": lock_version + 1,
        "updated_at": _stamp(questionnaire, now),
    }
    updated = session.connection().execute(
        _SAVE_IF_UNCHANGED,
        {"response_id": response.id, "read_version": lock_version}
        | {f"new_{name}": value for name, value in changes.items()},
    )
    return changes if updated.rowcount == 1 else None


def _save_if_unchanged():
    """The UPDATE of a save onto the draft as read (Core, built once: the ORM's UPDATE and
    building it cost several times running it)."""
    table = Response.__table__
    changed = ("draft", "current_page", "lock_version", "updated_at")
    return (
        update(table)
        .where(
            table.c.id == bindparam("response_id"),
            table.c.lock_version == bindparam("read_version"),
        )
        .values({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in changed})
    )


_SAVE_IF_UNCHANGED = _save_if_unchanged()


def check(definition: Definition, raw: RawAnswers) -> tuple[dict[str, Any], Problems]:
    """Clean every shown question; return the clean values and what stops a submission."""
    shown = shown_questions(definition, raw)
    values: dict[str, Any] = {}
    problems = Problems()
    for question in definition.questions():
        if question.key not in shown:
            continue  # a hidden question's answer is not kept
        value, error = clean(question, raw.get(question.key))
        if error:
            problems.invalid[question.key] = error
        elif value is not None:
            values[question.key] = value
        elif question.required:
            problems.missing.append(question.key)
    return values, problems


def invalid_answers(
    definition: Definition, raw: RawAnswers, questions: tuple[Question, ...]
) -> dict[str, Any]:
    """The errors of ``questions`` that are shown: what ``check`` finds for them alone, without
    cleaning every other answer of the questionnaire."""
    shown = shown_questions(definition, raw)
    errors = {}
    for question in questions:
        if question.key in shown:
            _, error = clean(question, raw.get(question.key))
            if error:
                errors[question.key] = error
    return errors


def submit(
    session: Session,
    invitation: Invitation,
    response: Response,
    questionnaire: Questionnaire,
    lock_version: int,
    page_raw: RawAnswers | None = None,
    now: datetime | None = None,
) -> SubmitOutcome:
    """Save the last page (if given) and submit the whole draft as a new revision."""
    now = now or utcnow()
    if not questionnaire.is_open(now):
        raise QuestionnaireClosed()
    response = _lock(session, response.id)
    current = _current_submission(session, response)
    if current is not None and current.base_lock_version == lock_version:
        return SubmitOutcome(current, Problems(), repeated=True)  # the same click, twice
    if response.lock_version != lock_version:
        raise EditConflict(response.lock_version)
    if page_raw:
        response.draft = {**response.draft, **page_raw}
    values, problems = check(definition_of(questionnaire), response.draft)
    if problems:
        response.lock_version = lock_version + 1
        return SubmitOutcome(None, problems)
    submission = _store_submission(session, response, questionnaire, values, lock_version, now)
    # For anonymous questionnaires this flag, with no time, is all that links the two.
    invitation.has_submitted = True
    return SubmitOutcome(submission, Problems())


def _current_submission(session: Session, response: Response) -> Submission | None:
    """The response's latest submission; none asked for when there is none yet."""
    if response.current_submission_id is None:
        return None
    return session.get(Submission, response.current_submission_id)


def _store_submission(
    session: Session,
    response: Response,
    questionnaire: Questionnaire,
    values: dict[str, Any],
    lock_version: int,
    now: datetime,
) -> Submission:
    previous = _current_submission(session, response)
    submission = Submission(
        response_id=response.id,
        number=(previous.number + 1) if previous else 1,
        questionnaire_version_id=questionnaire.current_version_id,
        submitted_at=_stamp(questionnaire, now),
        language=response.language,
        base_lock_version=lock_version,
    )
    session.add(submission)
    session.flush()  # the unique (response, number) stops a concurrent twin here
    definition = definition_of(questionnaire)
    rows = [
        (key, cell.item, cell.code, cell.number, cell.text)
        for key, value in values.items()
        for cell in to_cells(definition.question(key), value)
    ]
    stored = _insert_answers(session, submission, rows, definition)
    submission.export_cells = export_cells(definition, stored)
    # The dashboards' counts change in the same transaction: they never disagree with answers.
    tallies.replace(session, submission, previous)
    response.current_submission_id = submission.id
    response.status = ResponseStatus.SUBMITTED
    response.lock_version = lock_version + 1
    response.updated_at = _stamp(questionnaire, now)
    return submission


def _insert_answers(
    session: Session, submission: Submission, rows: list[tuple], definition: Definition
) -> dict[str, Any]:
    """Insert a new submission's answer rows (question key, item, code, number, text); return
    its values as stored, as the export reads them (a SQLite real comes back rounded)."""
    if not rows:
        return {}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Its driver's executemany sends one INSERT per row, each bound and run on its own:
        # here the rows go as five arrays in one statement, and come back as stored.
        columns = {
            name: list(c)
            for name, c in zip(_UNNEST_PARAMETERS, zip(*rows, strict=True), strict=True)
        }
        found = connection.execute(_INSERT_UNNESTED, {"submission_id": submission.id, **columns})
        in_order = sorted(found, key=lambda row: row.id)  # the order they are read in
        return values_from_rows(definition, [row[1:] for row in in_order])
    # Core, not the ORM: the ORM splits the rows by which columns are None (a dozen INSERTs
    # for one submission); SQLite's executemany runs them all in one call.
    keyed = [
        dict(zip(_STORED_NAMES, row, strict=True), submission_id=submission.id) for row in rows
    ]
    connection.execute(insert(Answer.__table__), keyed)
    return submitted_values(session, submission.id, definition)


_STORED_NAMES = ("question_key", "item", "code", "number", "text")
_UNNEST_PARAMETERS = ("question_keys", "items", "codes", "numbers", "texts")
# One row per element of the arrays, all of one submission.
_INSERT_UNNESTED = text(
    "INSERT INTO answer (submission_id, question_key, item, code, number, text) "
    "SELECT :submission_id, * FROM unnest(CAST(:question_keys AS varchar[]), "
    "CAST(:items AS varchar[]), CAST(:codes AS varchar[]), CAST(:numbers AS numeric[]), "
    "CAST(:texts AS text[])) "
    "RETURNING id, question_key, item, code, number, text"
).columns(Answer.id, Answer.question_key, Answer.item, Answer.code, Answer.number, Answer.text)


def submitted_values(
    session: Session, submission_id: int, definition: Definition
) -> dict[str, Any]:
    """The clean values of a submission, by question key."""
    rows = session.connection().execute(_ANSWERS_OF_SUBMISSION, {"submission_id": submission_id})
    return values_from_rows(definition, rows)


# Read at every submit and confirmation: built once (building it cost more than running it).
_ANSWERS_OF_SUBMISSION = (
    select(Answer.question_key, Answer.item, Answer.code, Answer.number, Answer.text)
    .where(Answer.submission_id == bindparam("submission_id"))
    .order_by(Answer.id)
)


def has_answers(raw: RawAnswers) -> bool:
    """Whether a draft holds anything typed."""
    return any(not is_empty(r) for r in raw.values())
