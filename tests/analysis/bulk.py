"""Many submissions fast: rows written straight into the tables with executemany.

Only for measuring (query counts); the answers are valid for tests/data/valid/minimal.yaml
but bypass the experts' services, which other tests cover (their tallies are counted
afterwards, set-based, as the bulk demo does). A test module that adds many
imports ``database_url`` from here, to work in a database of its own.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from survey import migrate
from survey.db import Database
from survey.models import Answer, Questionnaire, Response, ResponseStatus, Submission
from survey.services import tallies
from tests.databases import empty_database

# (country, region, sub-region)
PLACES = [
    ("FRA", "150", "155"),
    ("KEN", "002", "202"),
    ("BRA", "019", "419"),
    ("CHN", "142", "030"),
]
GROUPS = ["government", "ngo", "private_sector", "intergovernmental"]


@pytest.fixture(scope="module")
def database_url(backend, tmp_path_factory):
    """A database of the module's own, used in place of the run's shared one: thousands of rows
    would stay in the shared database's file (a SQLite file never shrinks)."""
    with empty_database(backend, tmp_path_factory.mktemp("bulk")) as url:
        database = Database(url)
        migrate.upgrade(database.engine)
        database.dispose()
        yield url


def _answers(rng: random.Random, submission_id: int, country: str) -> list[dict]:
    def row(key, item="", code=None, number=None, text=None):
        return {
            "submission_id": submission_id,
            "question_key": key,
            "item": item,
            "code": code,
            "number": number,
            "text": text,
        }

    points = ["1", "2", "3", "4"]
    first, second = rng.sample(["police", "customs", "regulator"], 2)
    return [
        row("country", code=country),
        row("specific_offence", code=rng.choice(["yes", "no", "dont_know"])),
        row("offence_year", text=f"{rng.randint(1990, 2012)}-01-01"),
        row("lead_agency", code=rng.choice(["police", "customs", "regulator"])),
        row("agencies_involved", code="police"),
        row("agencies_involved", code="customs"),
        row("customs_cases", number=Decimal(rng.randint(0, 500))),
        row("useful", code=(point := rng.choice(points)), number=Decimal(point)),
        *(
            row("topics", item=s, code=(p := rng.choice(points)), number=Decimal(p))
            for s in ("ports", "internet")
        ),
        row("priorities", item=first, number=Decimal(1)),
        row("priorities", item=second, number=Decimal(2)),
        row("comments", text="Useful meeting"),
    ]


def add_submissions(engine, questionnaire_id: int, count: int, seed: int = 1) -> None:
    """Add ``count`` submitted responses with an answer to every question of minimal.yaml."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        version_id = conn.scalar(
            select(Questionnaire.current_version_id).where(Questionnaire.id == questionnaire_id)
        )
        start = (conn.scalar(select(func.max(Response.id))) or 0) + 1
        start = max(start, (conn.scalar(select(func.max(Submission.id))) or 0) + 1)
        responses, submissions, answers = [], [], []
        for n in range(start, start + count):
            country, region, subregion = rng.choice(PLACES)
            responses.append(
                {
                    "id": n,
                    "questionnaire_id": questionnaire_id,
                    "respondent_key": f"r{n}",
                    "pair_key": f"p{n}",
                    "country_iso3": country,
                    "region_code": region,
                    "subregion_code": subregion,
                    "stakeholder_group": rng.choice(GROUPS),
                    "language": "en",
                    "status": ResponseStatus.SUBMITTED,
                    "draft": {},
                    "draft_version_id": version_id,
                    "lock_version": 1,
                    "updated_at": now,
                }
            )
            submissions.append(
                {
                    "id": n,
                    "response_id": n,
                    "number": 1,
                    "questionnaire_version_id": version_id,
                    "submitted_at": now,
                    "language": "en",
                    "base_lock_version": 0,
                }
            )
            answers.extend(_answers(rng, n, country))
        conn.execute(insert(Response), responses)
        conn.execute(insert(Submission), submissions)
        conn.execute(insert(Answer), answers)
        conn.execute(
            update(Response)
            .where(Response.id >= start, Response.current_submission_id.is_(None))
            .values(current_submission_id=Response.id)
        )
        tallies.add(Session(bind=conn), [s["id"] for s in submissions])
