"""The demo: participants from every UN region, answers made through the services."""

from sqlalchemy import func, select

from survey import countries
from survey.cli import cli
from survey.db import database
from survey.models import Answer, Participant, Response, ResponseStatus, Submission


def _count(app, query):
    with app.app_context(), database().read_sessions() as session:
        return session.scalar(query)


def test_demo_fills_both_questionnaires_from_every_region(app, runner):
    assert runner.invoke(cli, ["questionnaires", "load"]).exit_code == 0
    result = runner.invoke(cli, ["demo", "--participants", "120"])
    assert result.exit_code == 0, result.output
    assert "tfm-pre:" in result.output and "/r/" in result.output
    with app.app_context(), database().read_sessions() as session:
        iso3 = session.scalars(select(Participant.country_iso3).distinct()).all()
        groups = session.scalars(select(Participant.stakeholder_group).distinct()).all()
        statuses = set(session.scalars(select(Response.status)))
        edited = session.scalar(
            select(func.count()).select_from(Submission).where(Submission.number > 1)
        )
    assert len(iso3) >= 60
    assert {countries.country(c).region for c in iso3} == {
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
    }
    assert {"government", "intergovernmental", "ngo", "private_sector"} <= set(groups)
    assert statuses == {ResponseStatus.DRAFT, ResponseStatus.SUBMITTED}
    assert edited > 0


def test_demo_twice_adds_nothing_the_second_time(app, runner):
    runner.invoke(cli, ["questionnaires", "load"])
    runner.invoke(cli, ["demo", "--participants", "30"])
    before = _count(app, select(func.count()).select_from(Participant))
    again = runner.invoke(cli, ["demo", "--participants", "30"])
    assert again.exit_code == 0 and "already there" in again.output
    assert _count(app, select(func.count()).select_from(Participant)) == before


def test_bulk_demo_stores_submissions_as_the_services_do(app, runner):
    runner.invoke(cli, ["questionnaires", "load"])
    result = runner.invoke(cli, ["demo", "--bulk", "40", "--questionnaire", "tfm-pre"])
    assert result.exit_code == 0, result.output
    with app.app_context(), database().read_sessions() as session:
        current = session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.current_submission_id.is_not(None))
        )
        answered_country = session.scalar(
            select(func.count()).select_from(Answer).where(Answer.question_key == "country")
        )
    assert current == 40
    assert answered_country == 40  # a required question: every submission has it


def test_demo_without_questionnaires_says_what_to_do(runner):
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code != 0
    assert "survey questionnaires load" in result.output
