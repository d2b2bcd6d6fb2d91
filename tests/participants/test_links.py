"""Personal links: unguessable tokens, only their hash kept, several per person, revocable."""

import base64
import hashlib

from sqlalchemy import select, text

from survey.models import Invitation, Participant
from survey.services.links import find_invitation, issue_link, link_url, revoke
from survey.services.participants import import_participants
from tests.participants.conftest import THREE_PEOPLE


def _issue(database, questionnaire, email="jean@example.fr") -> str:
    with database.writing() as session:
        if session.scalar(select(Participant).where(Participant.email == email)) is None:
            import_participants(session, THREE_PEOPLE.encode())
        person = session.scalar(select(Participant).where(Participant.email == email))
        return issue_link(session, questionnaire, person)


def test_tokens_have_256_bits_and_only_their_hash_is_stored(database, questionnaire):
    token = _issue(database, questionnaire)
    assert len(base64.urlsafe_b64decode(token + "=")) * 8 >= 128
    assert len(token) == 43
    with database.read_sessions() as session:
        (row,) = session.execute(text("SELECT * FROM invitation_token")).mappings().all()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert not any(token in str(value) for value in row.values())


def test_each_link_is_different(database, questionnaire):
    first = _issue(database, questionnaire, "jean@example.fr")
    second = _issue(database, questionnaire, "wei@who.int")
    assert first != second


def test_find_invitation_knows_only_live_well_formed_tokens(database, questionnaire):
    token = _issue(database, questionnaire)
    with database.read_sessions() as session:
        found = find_invitation(session, token)
        assert found is not None and found.participant.email == "jean@example.fr"
        assert find_invitation(session, "A" * 43) is None  # well formed, unknown
        assert find_invitation(session, token[:-1]) is None
        assert find_invitation(session, token + "A") is None
        assert find_invitation(session, token[:-1] + "/") is None
        assert find_invitation(session, "") is None
    with database.writing() as session:
        revoke(session, find_invitation(session, token))
    with database.read_sessions() as session:
        assert find_invitation(session, token) is None


def test_malformed_tokens_are_refused_before_any_query():
    no_session = object()  # any query would fail with AttributeError
    for token in ["", "short", "x" * 44, "é" * 43, "a b" * 14 + "c", "../" * 14 + "a", None]:
        assert find_invitation(no_session, token) is None


def test_a_new_link_leaves_the_old_one_working(database, questionnaire):
    old = _issue(database, questionnaire)
    new = _issue(database, questionnaire)
    with database.read_sessions() as session:
        assert find_invitation(session, old).id == find_invitation(session, new).id
        assert len(session.scalars(select(Invitation)).all()) == 1


def test_revoking_stops_every_link_and_a_new_link_revives_only_itself(database, questionnaire):
    old = _issue(database, questionnaire)
    older = _issue(database, questionnaire)
    with database.writing() as session:
        revoke(session, find_invitation(session, old))
    with database.read_sessions() as session:
        assert find_invitation(session, old) is None
        assert find_invitation(session, older) is None
    new = _issue(database, questionnaire)
    with database.read_sessions() as session:
        assert find_invitation(session, new) is not None
        assert find_invitation(session, old) is None
        assert find_invitation(session, older) is None


def test_link_url_uses_the_configured_address():
    assert link_url("https://survey.example.org/", "abc") == "https://survey.example.org/r/abc"
