"""Storing questionnaire files as immutable versions, without ever losing an answer.

Wording, translations and order may change in place (a new revision of the same version).
Removing a question or option that has answers, or changing a question's type, is refused
unless the file is loaded as a new version: then the old answers stay with the old version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey.models import Answer, Questionnaire, QuestionnaireVersion, Response, Submission
from survey.questionnaires.checker import check_files
from survey.questionnaires.loader import load_definition
from survey.questionnaires.model import Question
from survey.questionnaires.model import Questionnaire as Definition
from survey.questionnaires.problems import DefinitionError, Problem


class VersionConflict(Exception):
    """A change would orphan answers; ``lost`` says which keys and how many answers each has."""

    def __init__(
        self, slug: str, lost: dict[str, int], changed_types: list[str], message: str | None = None
    ):
        self.lost, self.changed_types = lost, changed_types
        if message:
            super().__init__(f"{slug}: {message}")
            return
        parts = [f"{key} ({count} answers)" for key, count in sorted(lost.items())]
        parts += [f"{key} (its type changed)" for key in changed_types]
        super().__init__(
            f"{slug}: this change would leave answers without their question: "
            f"{', '.join(parts)}. Keep these questions and options, or load the file as a "
            "new version (--new-version) so that the old answers stay with the old version."
        )


@dataclass
class LoadResult:
    slug: str
    outcome: str  # "created", "new revision", "new version", "unchanged"
    number: int
    revision: int
    notes: list[str] = field(default_factory=list)


def content_hash(definition: Definition) -> str:
    """A hash of the definition's content (comments and layout of the file do not count)."""
    canonical = json.dumps(definition.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def read_definitions(paths: list[Path], questions_dir: Path, tz: str) -> list[Definition]:
    """Check the files together (pairs span files) and read them; raise DefinitionError."""
    problems: list[Problem] = [
        p for found in check_files(paths, questions_dir, tz).values() for p in found
    ]
    if problems:
        raise DefinitionError(problems)
    return [load_definition(path, questions_dir) for path in paths]


def store_definition(
    session: Session,
    definition: Definition,
    source_name: str,
    default_tz: str,
    new_version: bool = False,
) -> LoadResult:
    """Store ``definition`` as a version of its questionnaire; raise VersionConflict."""
    questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == definition.id))
    digest = content_hash(definition)
    if questionnaire is None:
        questionnaire = _create(session, definition, default_tz)
        return _add_version(session, questionnaire, definition, digest, source_name, 1, 1)
    current = questionnaire.current_version
    if current.content_hash == digest and not new_version:
        return LoadResult(definition.id, "unchanged", current.number, current.revision)
    previous = Definition.from_dict(current.definition)
    if not new_version:
        _refuse_lost_answers(session, questionnaire, previous, definition)
    notes = _apply_settings(questionnaire, previous, definition, default_tz, session)
    number, revision = (
        (current.number + 1, 1) if new_version else (current.number, current.revision + 1)
    )
    result = _add_version(session, questionnaire, definition, digest, source_name, number, revision)
    result.notes = notes
    return result


def _create(session: Session, definition: Definition, tz: str) -> Questionnaire:
    questionnaire = Questionnaire(
        slug=definition.id,
        anonymous=definition.anonymous,
        pairs_with=definition.pairs_with,
        opens_at=definition.opens_at_utc(tz),
        closes_at=definition.closes_at_utc(tz),
    )
    session.add(questionnaire)
    session.flush()
    return questionnaire


def _add_version(
    session: Session,
    questionnaire: Questionnaire,
    definition: Definition,
    digest: str,
    source_name: str,
    number: int,
    revision: int,
) -> LoadResult:
    # The same content loaded before (say, a change undone) is a new snapshot all the same:
    # the hash is unique per questionnaire, so make it name the snapshot it belongs to.
    if session.scalar(
        select(QuestionnaireVersion.id).where(
            QuestionnaireVersion.questionnaire_id == questionnaire.id,
            QuestionnaireVersion.content_hash == digest,
        )
    ):
        digest = hashlib.sha256(f"{digest}:{number}:{revision}".encode()).hexdigest()
    version = QuestionnaireVersion(
        questionnaire_id=questionnaire.id,
        number=number,
        revision=revision,
        content_hash=digest,
        definition=definition.to_dict(),
        source_name=source_name,
    )
    session.add(version)
    session.flush()
    questionnaire.current_version = version
    outcome = (
        "created"
        if number == revision == 1
        else ("new version" if revision == 1 else "new revision")
    )
    return LoadResult(definition.id, outcome, number, revision)


def _refuse_lost_answers(
    session: Session, questionnaire: Questionnaire, previous: Definition, new: Definition
) -> None:
    new_questions = {q.key: q for q in new.questions()}
    changed_types = [
        q.key
        for q in previous.questions()
        if q.key in new_questions and new_questions[q.key].type != q.type
    ]
    counts = answer_counts(session, questionnaire.id)
    lost: dict[str, int] = {}
    for question in previous.questions():
        kept = new_questions.get(question.key)
        for label, codes in _removed(question, kept).items():
            answered = sum(counts.get((question.key, code), 0) for code in codes)
            if answered:
                lost[label] = answered
    changed_types = [key for key in changed_types if counts.get((key, "*"))]
    if lost or changed_types:
        raise VersionConflict(questionnaire.slug, lost, changed_types)


def _removed(old: Question, new: Question | None) -> dict[str, set[str | None]]:
    """What ``new`` no longer has of ``old``, as labels and the answer codes/items they hold."""
    if new is None:
        return {old.key: {"*"}}
    removed: dict[str, set[str | None]] = {}
    for attr in ("options", "scale"):
        gone = {o.code for o in getattr(old, attr)} - {o.code for o in getattr(new, attr)}
        removed |= {f"{old.key}: option {code}": {code} for code in gone}
    gone_rows = {s.key for s in old.statements} - {s.key for s in new.statements}
    removed |= {f"{old.key}: row {key}": {f"item:{key}"} for key in gone_rows}
    for flag in ("other", "dont_know", "not_available"):
        if getattr(old, flag) and not getattr(new, flag):
            removed[f"{old.key}: {flag}"] = {flag}
    return removed


def answer_counts(session: Session, questionnaire_id: int) -> dict[tuple[str, str], int]:
    """Submissions, current or not, answering each question (code ``*``), each of its codes,
    and each grid row (``item:KEY``)."""
    counts: dict[tuple[str, str], int] = {}
    groupings = {
        "*": (Answer.question_key,),
        "code": (Answer.question_key, Answer.code),
        "item": (Answer.question_key, Answer.item),
    }
    for kind, columns in groupings.items():
        query = (
            select(*columns, func.count(func.distinct(Answer.submission_id)))
            .join(Submission, Submission.id == Answer.submission_id)
            .join(Response, Response.id == Submission.response_id)
            .where(Response.questionnaire_id == questionnaire_id)
            .group_by(*columns)
        )
        for key, *rest in session.execute(query):
            *value, count = rest
            name = "*" if kind == "*" else (value[0] if kind == "code" else f"item:{value[0]}")
            if name is not None and name != "item:":
                counts[(key, name)] = count
    return counts


def _apply_settings(
    questionnaire: Questionnaire, previous: Definition, new: Definition, tz: str, session: Session
) -> list[str]:
    """Carry changed settings of the file over; refuse to change anonymity once answered."""
    notes = []
    if new.anonymous != previous.anonymous:
        has_responses = session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.questionnaire_id == questionnaire.id)
        )
        if has_responses:
            raise VersionConflict(
                questionnaire.slug,
                {},
                [],
                message=(
                    "'anonymous' cannot change once experts have started answering: make a new "
                    "questionnaire (a new id) instead"
                ),
            )
        questionnaire.anonymous = new.anonymous
    questionnaire.pairs_with = new.pairs_with
    # Dates move only when the file moved them: an organiser's extension stays otherwise.
    if (new.opens, new.closes, new.timezone) != (
        previous.opens,
        previous.closes,
        previous.timezone,
    ):
        questionnaire.opens_at = new.opens_at_utc(tz)
        questionnaire.closes_at = new.closes_at_utc(tz)
        notes.append("opening and closing times taken from the file")
    return notes
