"""Importing the participant list into the database: all or nothing, updates by e-mail."""

from sqlalchemy import func, select

from survey.models import Participant
from survey.services.participants import import_participants, list_participants
from tests.participants.conftest import HEADER, THREE_PEOPLE


def _people(database) -> dict[str, Participant]:
    with database.read_sessions() as session:
        return {p.email: p for p in session.scalars(select(Participant))}


def test_import_creates_everyone(database):
    with database.writing() as session:
        result = import_participants(session, THREE_PEOPLE.encode())
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    people = _people(database)
    assert set(people) == {"ana.perez@example.org", "jean@example.fr", "wei@who.int"}
    assert people["wei@who.int"].organisation == "WHO, Geneva"


def test_reimport_updates_people_found_by_email_and_duplicates_no_one(database):
    with database.writing() as session:
        import_participants(session, THREE_PEOPLE.encode())
    changed = THREE_PEOPLE.replace("Jean Dupont,jean@example.fr", "Jean Dupond,JEAN@example.fr")
    changed += "Ngozi Okafor,ngozi@example.ng,Nigeria,NAFDAC,Government,en\r\n"
    with database.writing() as session:
        result = import_participants(session, changed.encode())
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    people = _people(database)
    assert len(people) == 4
    assert people["jean@example.fr"].name == "Jean Dupond"


def test_a_file_with_errors_imports_nothing_at_all(database):
    text = THREE_PEOPLE + "Bob,bob@,Spain,,Government,\r\n" + "Eve,eve@example.org,ESP,,,\r\n"
    with database.writing() as session:
        result = import_participants(session, text.encode())
    assert [(p.row, p.column) for p in result.errors] == [
        (5, "email"),
        (6, "stakeholder_group"),
    ]
    with database.read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 0


def test_list_participants_is_sorted_by_name(database):
    with database.writing() as session:
        import_participants(session, (HEADER + "Zoe,z@example.org,ESP,,NGO,\r\n").encode())
        import_participants(session, (HEADER + "Adam,a@example.org,ESP,,NGO,\r\n").encode())
    with database.read_sessions() as session:
        assert [p.name for p, _ in list_participants(session)] == ["Adam", "Zoe"]
