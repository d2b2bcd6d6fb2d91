"""Free-text answers: searched with LIKE (wildcards typed are literal), a page at a time,
with the country only where the questionnaire is not anonymous."""

from __future__ import annotations

import pytest

from survey.analysis import texts
from survey.db import database
from survey.models import Questionnaire
from survey.services.answering import definition_of
from tests.analysis.bulk import add_submissions, database_url  # noqa: F401  (a database of its own)
from tests.analysis.conftest import answer
from tests.analysis.experts import answer_all


def _search(app, questionnaire_id, words="", question=None, page=1):
    with app.app_context(), database().read_sessions() as session:
        questionnaire = session.get(Questionnaire, questionnaire_id)
        definition = definition_of(questionnaire)
        return texts.search(session, questionnaire, definition, words, question, page)


def test_like_patterns_take_wildcards_literally():
    assert texts.like_pattern("100%_sure\\") == "%100\\%\\_sure\\\\%"


def test_text_questions_and_other_please_specify(app, minimal_id):
    answer_all(app, minimal_id)
    found = _search(app, minimal_id)
    assert found.total == 4
    assert [(a.question_key, a.text) for a in found.answers] == [
        ("lead_agency", "Army"),  # "other, please specify"
        ("main_obstacle", "Money 100%_sure"),
        ("comments", "Good <b>meeting</b>"),
        ("comments", "Más tiempo, por favor"),
    ]
    assert found.answers[0].country_iso3 == "KEN"  # not anonymous: the country is shown


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("100%_", ["Money 100%_sure"]),
        ("%", ["Money 100%_sure"]),
        ("_", ["Money 100%_sure"]),
        ("más", ["Más tiempo, por favor"]),
        ("GOOD", ["Good <b>meeting</b>"]),
        ("nothing like this", []),
    ],
)
def test_search(app, minimal_id, words, expected):
    answer_all(app, minimal_id)
    found = _search(app, minimal_id, words)
    assert [a.text for a in found.answers] == expected


def test_one_question(app, minimal_id):
    answer_all(app, minimal_id)
    found = _search(app, minimal_id, question="comments")
    assert {a.question_key for a in found.answers} == {"comments"}
    assert found.total == 2
    # A question without free text is ignored, not an error.
    assert _search(app, minimal_id, question="useful").total == 4


def test_pages(app, minimal_id):
    add_submissions(app.extensions["survey.db"].engine, minimal_id, 60)
    first = _search(app, minimal_id, question="comments")
    assert (first.total, first.pages, len(first.answers)) == (60, 3, 25)
    last = _search(app, minimal_id, question="comments", page=3)
    assert len(last.answers) == 10
    assert _search(app, minimal_id, question="comments", page=99).page == 3


def test_anonymous_questionnaires_never_give_the_country(app, pair_ids):
    _pre_id, post_id = pair_ids
    answer(app, post_id, {"advice": {"": ["Share data"]}}, country="KEN", language="fr")
    [found] = _search(app, post_id).answers
    assert (found.country_iso3, found.region_code, found.language) == (None, "002", "fr")
