"""Many demo submissions at once, for benchmarks: set-based inserts, the service's own rules.

Each answer is made as an expert's browser would send it, checked by the same cleaners and
stored as the same rows as in ``survey.services.answering``; only the writing is batched
(one INSERT per table and batch instead of one transaction per expert). Bulk experts have
no invitation: they exist to measure dashboards and exports, not the tracking of links.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from survey import countries
from survey.answering.storage import to_cells
from survey.demo import GROUP_WEIGHTS, LANGUAGE_BY_SUBREGION, raw_answers
from survey.export.raw import fill_export_cells
from survey.models import Answer, Participant, Questionnaire, Response, Submission
from survey.models.columns import utcnow
from survey.services import answering, tallies

BATCH = 1000


def add_bulk_submissions(
    session: Session,
    questionnaire: Questionnaire,
    count: int,
    secret: str,
    seed: int = 7,
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Add ``count`` submitted responses to ``questionnaire``; return how many were added."""
    rng = random.Random(seed)  # noqa: S311  (a repeatable demo, not a secret)
    definition = answering.definition_of(questionnaire)
    pool = [c for c in countries.all_countries() if c.independent]
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        people = _participants(session, rng, pool, size, seed, done)
        _responses(session, questionnaire, definition, people, secret, rng)
        done += size
        progress(done)
    return done


def _participants(session, rng, pool, size, seed, offset) -> list[dict]:
    rows = []
    for n in range(size):
        country = rng.choice(pool)
        rows.append(
            {
                "email": f"bulk{seed}-{offset + n:07d}@bulk.example.org",
                "name": f"Expert {n}",
                "country_iso3": country.iso3,
                "organisation": "",
                "stakeholder_group": rng.choices(list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values()))[
                    0
                ],
                "language": LANGUAGE_BY_SUBREGION.get(country.subregion, "en"),
            }
        )
    ids = session.scalars(
        insert(Participant).returning(Participant.id, sort_by_parameter_order=True), rows
    )
    return [
        {**row, "id": pid, "country": c}
        for row, pid, c in zip(
            rows, ids, (countries.country(r["country_iso3"]) for r in rows), strict=True
        )
    ]


def _responses(session, questionnaire, definition, people, secret, rng) -> None:
    now = utcnow()
    drafts, values = [], []
    for person in people:
        raw = raw_answers(definition, rng, person["country_iso3"])
        clean, problems = answering.check(definition, raw)
        if problems:  # the same rules as a real submission: an invalid one is not stored
            raise ValueError(f"demo answers broke a rule: {problems}")
        drafts.append(raw)
        values.append(clean)
    response_rows = [
        _response_row(questionnaire, person, raw, secret)
        for person, raw in zip(people, drafts, strict=True)
    ]
    response_ids = list(
        session.scalars(
            insert(Response).returning(Response.id, sort_by_parameter_order=True), response_rows
        )
    )
    submission_rows = [
        {
            "response_id": rid,
            "number": 1,
            "questionnaire_version_id": questionnaire.current_version_id,
            "language": person["language"],
            "base_lock_version": 0,
            "submitted_at": now - timedelta(minutes=rng.randint(0, 20_000)),
        }
        for rid, person in zip(response_ids, people, strict=True)
    ]
    submission_ids = list(
        session.scalars(
            insert(Submission).returning(Submission.id, sort_by_parameter_order=True),
            submission_rows,
        )
    )
    session.execute(
        insert(Answer),
        [
            {
                "submission_id": sid,
                "question_key": key,
                "item": cell.item,
                "code": cell.code,
                "number": cell.number,
                "text": cell.text,
            }
            for sid, clean in zip(submission_ids, values, strict=True)
            for key, value in clean.items()
            for cell in to_cells(definition.question(key), value)
        ],
    )
    tallies.add(session, submission_ids)
    fill_export_cells(session, submission_ids)
    session.execute(
        update(Response),
        [
            {"id": rid, "current_submission_id": sid}
            for rid, sid in zip(response_ids, submission_ids, strict=True)
        ],
    )


def _response_row(questionnaire, person, raw, secret) -> dict:
    return {
        "questionnaire_id": questionnaire.id,
        "respondent_key": answering.respondent_key(secret, questionnaire.id, person["id"]),
        "pair_key": answering.pseudonym(secret, "pair", person["id"]),
        "participant_id": None if questionnaire.anonymous else person["id"],
        "country_iso3": person["country_iso3"],
        "region_code": person["country"].region_code,
        "subregion_code": person["country"].subregion_code,
        "stakeholder_group": person["stakeholder_group"],
        "language": person["language"],
        "status": "submitted",
        "draft": raw,
        "draft_version_id": questionnaire.current_version_id,
        "lock_version": 1,
        "updated_at": None,
    }
