"""Tracking counts, against a hand count of a small set of experts answering for real."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from survey.models import Questionnaire
from survey.services import tracking
from tests.respondent.conftest import VALID, load_questionnaire
from tests.tracking.conftest import add_expert

# (state, country, stakeholder group) of each expert; the revoked one counts nowhere.
EXPERTS = [
    ("submitted", "FRA", "government"),
    ("edited", "FRA", "government"),
    ("started", "DEU", "ngo"),
    ("invited", "KEN", "government"),
    ("submitted", "BRA", "private_sector"),
    ("invited", "CHN", "government"),
    ("revoked", "JPN", "government"),
]


def _fill(app, questionnaire_id: int) -> None:
    for state, country, group in EXPERTS:
        add_expert(app, questionnaire_id, state, country=country, group=group)


def _tracking(database, questionnaire_id: int) -> tracking.Tracking:
    with database.read_sessions() as session:
        return tracking.tracking(session, session.get(Questionnaire, questionnaire_id))


def _table(found: tracking.Tracking, dimension: str) -> dict[str, tuple]:
    return {
        c.key: (c.invited, c.opened, c.draft, c.submitted, c.edited) for c in found.by[dimension]
    }


def test_counts_overall_and_by_region_and_group_equal_a_hand_count(app, database, minimal_id):
    _fill(app, minimal_id)
    found = _tracking(database, minimal_id)
    o = found.overall
    assert (o.invited, o.opened, o.draft, o.submitted, o.edited) == (6, 4, 1, 3, 1)
    # (invited, opened, draft, submitted, edited); Europe 150, Africa 002, Americas 019, Asia 142
    assert _table(found, "region") == {
        "150": (3, 3, 1, 2, 1),
        "002": (1, 0, 0, 0, 0),
        "019": (1, 1, 0, 1, 0),
        "142": (1, 0, 0, 0, 0),
    }
    assert _table(found, "subregion") == {
        "155": (3, 3, 1, 2, 1),  # Western Europe
        "202": (1, 0, 0, 0, 0),  # Sub-Saharan Africa
        "419": (1, 1, 0, 1, 0),  # Latin America and the Caribbean
        "030": (1, 0, 0, 0, 0),  # Eastern Asia
    }
    assert _table(found, "stakeholder_group") == {
        "government": (4, 2, 0, 2, 1),
        "ngo": (1, 1, 1, 0, 0),
        "private_sector": (1, 1, 0, 1, 0),
    }
    assert _table(found, "country") == {
        "FRA": (2, 2, 0, 2, 1),
        "DEU": (1, 1, 1, 0, 0),
        "KEN": (1, 0, 0, 0, 0),
        "BRA": (1, 1, 0, 1, 0),
        "CHN": (1, 0, 0, 0, 0),
    }
    assert {c.key for c in found.without_answer("region")} == {"002", "142"}
    assert {c.key for c in found.without_answer("country")} == {"KEN", "CHN", "DEU"}
    assert found.overall.rate == pytest.approx(0.5)


def test_anonymous_questionnaires_count_only_what_the_invitation_knows(app, database):
    anonymous_id = load_questionnaire(app, VALID / "minimal.yaml", anonymous=True)
    _fill(app, anonymous_id)
    found = _tracking(database, anonymous_id)
    o = found.overall
    assert (o.invited, o.opened, o.submitted) == (6, 4, 3)
    assert o.draft is None and o.edited is None
    assert all(c.draft is None and c.edited is None for d in found.by.values() for c in d)
    assert _table(found, "region")["150"] == (3, 3, None, 2, None)


def test_an_empty_questionnaire_counts_zero(database, minimal_id):
    found = _tracking(database, minimal_id)
    assert (found.overall.invited, found.overall.submitted) == (0, 0)
    assert found.by["country"] == []


def test_the_number_of_queries_does_not_grow_with_the_experts(app, database, minimal_id):
    _fill(app, minimal_id)
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        _tracking(database, minimal_id)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    queries = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The questionnaire, then one GROUP BY per table: overall and four dimensions.
    assert len(queries) == 6
