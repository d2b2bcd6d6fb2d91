"""Versions: wording changes in place; a change that would orphan answers needs a new version."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from survey.db import database
from survey.models import Answer, Participant, Questionnaire, QuestionnaireVersion, Submission
from survey.services import answering, links
from survey.services import questionnaires as store
from tests.respondent.conftest import load_questionnaire

MINIMAL = Path(__file__).resolve().parents[1] / "data" / "valid" / "minimal.yaml"


@pytest.fixture
def folder(tmp_path):
    shutil.copy(MINIMAL, tmp_path / "minimal.yaml")
    return tmp_path


def _edit(folder: Path, old: str, new: str) -> None:
    path = folder / "minimal.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _load(app, folder: Path, new_version: bool = False) -> store.LoadResult:
    [definition] = store.read_definitions([folder / "minimal.yaml"], folder, "Europe/Vienna")
    with app.app_context(), database().writing() as session:
        return store.store_definition(
            session, definition, "minimal.yaml", "Europe/Vienna", new_version
        )


def _answer(app, answers: dict) -> None:
    """An expert submits ``answers`` (raw, by question key) through the services."""
    with app.app_context(), database().writing() as session:
        questionnaire = session.scalar(select(Questionnaire))
        person = Participant(
            email=f"p{len(answers)}@example.org",
            name="P",
            country_iso3="FRA",
            stakeholder_group="government",
        )
        session.add(person)
        session.flush()
        invitation = links.find_invitation(
            session, links.issue_link(session, questionnaire, person)
        )
        secret = app.config["PSEUDONYM_KEY"]
        response = answering.start(session, invitation, questionnaire, secret, "en")
        response = answering.save(session, response, questionnaire, answers, None, 0)
        outcome = answering.submit(session, invitation, response, questionnaire, 1)
        assert not outcome.problems, outcome.problems


def _first_load(app, folder):
    load_questionnaire(app, folder / "minimal.yaml")  # opens it around now
    _answer(
        app,
        {
            "country": {"": ["FRA"]},
            "agencies_involved": {"": ["police", "customs"]},
            "lead_agency": {"": ["customs"]},
            "comments": {"": ["Kept."]},
        },
    )


def test_loading_the_same_file_again_changes_nothing(app, folder):
    _first_load(app, folder)
    assert _load(app, folder).outcome == "unchanged"


def test_wording_and_translations_change_in_place(app, folder):
    _first_load(app, folder)
    _edit(folder, "Which agencies act?", "Which agencies take action?")
    result = _load(app, folder)
    assert (result.outcome, result.number, result.revision) == ("new revision", 1, 2)


def test_removing_an_answered_question_is_refused_with_the_count(app, folder):
    _first_load(app, folder)
    _edit(
        folder,
        "      - key: comments\n        type: long_text\n"
        "        label: {en: Comments, fr: Commentaires}\n        max_length: 2000\n",
        "",
    )
    with pytest.raises(store.VersionConflict, match=r"comments \(1 answers\)"):
        _load(app, folder)


def test_removing_an_answered_option_is_refused(app, folder):
    _first_load(app, folder)  # lead_agency was answered "customs", from the option set
    police = "    - {code: police, label: {en: Police, fr: Police}}\n"
    _edit(
        folder,
        "  agencies:\n" + police + "    - {code: customs, label: {en: Customs, fr: Douanes}}\n",
        "  agencies:\n" + police,
    )
    with pytest.raises(store.VersionConflict, match=r"lead_agency: option customs \(1 answers\)"):
        _load(app, folder)


def test_changing_the_type_of_an_answered_question_is_refused(app, folder):
    _first_load(app, folder)
    _edit(folder, "type: long_text", "type: short_text")
    with pytest.raises(store.VersionConflict, match=r"comments \(its type changed\)"):
        _load(app, folder)


def test_removing_an_unanswered_question_is_allowed_in_place(app, folder):
    _first_load(app, folder)
    _edit(
        folder,
        "      - key: main_obstacle\n        type: short_text\n"
        "        label: {en: Main obstacle, fr: Principal obstacle}\n"
        '        show_if: {question: useful, any_of: ["1", "2"]}\n',
        "",
    )
    assert _load(app, folder).outcome == "new revision"


def test_a_new_version_keeps_the_old_answers_with_the_old_version(app, folder):
    _first_load(app, folder)
    _edit(folder, "type: long_text", "type: short_text")
    result = _load(app, folder, new_version=True)
    assert (result.outcome, result.number, result.revision) == ("new version", 2, 1)
    with app.app_context(), database().read_sessions() as session:
        version_of_answers = session.scalar(
            select(QuestionnaireVersion.number).join(
                Submission, Submission.questionnaire_version_id == QuestionnaireVersion.id
            )
        )
        kept = session.scalar(
            select(func.count()).select_from(Answer).where(Answer.question_key == "comments")
        )
    assert version_of_answers == 1
    assert kept == 1


def test_anonymity_cannot_change_once_experts_answered(app, folder):
    _first_load(app, folder)
    _edit(folder, "anonymous: false", "anonymous: true")
    with pytest.raises(store.VersionConflict, match="'anonymous' cannot change"):
        _load(app, folder)
