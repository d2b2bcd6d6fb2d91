"""Fixtures for tracking and mail: staff accounts, experts in every state, a real SMTP server."""

from __future__ import annotations

import email
import itertools
import re
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from argon2 import PasswordHasher
from sqlalchemy import select

from survey.db import database as app_database
from survey.models import Invitation, Participant, Questionnaire, Role
from survey.services import accounts, answering, links, passwords
from tests.organiser.helpers import PASSWORD, sign_in
from tests.respondent.conftest import VALID, load_questionnaire

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
LINK = re.compile(r"https://survey\.example\.org/r/([A-Za-z0-9_-]{43})")
# What the minimal questionnaire (tests/data/valid/minimal.yaml) needs for a submission.
ANSWERS = {
    "country": {"": ["FRA"]},
    "specific_offence": {"": ["no"]},
    "lead_agency": {"": ["police"]},
    "agencies_involved": {"": ["police"]},
    "useful": {"": ["3"]},
    "priorities": {"customs": ["1"], "regulator": ["2"]},
}
_numbers = itertools.count(1)


@dataclass
class Expert:
    email: str
    token: str
    participant_id: int


def add_expert(
    app,
    questionnaire_id: int,
    state: str = "invited",
    country: str = "FRA",
    group: str = "government",
    language: str = "en",
    name: str | None = None,
) -> Expert:
    """A participant invited to the questionnaire who got as far as ``state``: invited, started
    (a draft), submitted, edited (submitted twice) or revoked."""
    number = next(_numbers)
    address = f"expert{number}@example.org"
    with app.test_request_context(), app_database().writing() as session:
        person = Participant(
            email=address,
            name=name or f"Expert {number}",
            country_iso3=country,
            organisation="Agency",
            stakeholder_group=group,
            language=language,
        )
        session.add(person)
        session.flush()
        questionnaire = session.get(Questionnaire, questionnaire_id)
        token = links.issue_link(session, questionnaire, person)
        invitation = links.find_invitation(session, token)
        _answer(app, session, questionnaire, invitation, state)
        return Expert(address, token, person.id)


def _answer(app, session, questionnaire, invitation, state: str) -> None:
    if state == "revoked":
        links.revoke(session, invitation)
    if state in {"invited", "revoked"}:
        return
    secret = app.config["PSEUDONYM_KEY"]
    response = answering.start(session, invitation, questionnaire, secret, "en")
    if state == "started":
        return
    for _ in range(2 if state == "edited" else 1):
        response = answering.save(
            session, response, questionnaire, ANSWERS, None, response.lock_version
        )
        outcome = answering.submit(
            session, invitation, response, questionnaire, response.lock_version
        )
        assert outcome.submission is not None, outcome.problems


def invitation_of(db, expert: Expert) -> Invitation:
    with db.read_sessions() as session:
        return session.scalar(
            select(Invitation).where(Invitation.participant_id == expert.participant_id)
        )


@pytest.fixture
def minimal_id(app) -> int:
    """The minimal questionnaire (English and French), open since yesterday for a month."""
    return load_questionnaire(app, VALID / "minimal.yaml")


@pytest.fixture
def pre_id(app) -> int:
    """The meeting's pre-meeting questionnaire, in the six languages, open."""
    return load_questionnaire(app, QUESTIONS / "tfm-pre.yaml")


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch):
    """Argon2 with tiny costs, so that tests sign in fast."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", hasher)


@pytest.fixture
def database(app):
    return app.extensions["survey.db"]


def _signed_in(app, database, email: str, role: Role):
    with database.writing() as session:
        accounts.create_account(session, email, role, PASSWORD)
    client = app.test_client()
    assert sign_in(client, email, PASSWORD).status_code == 302
    return client


@pytest.fixture
def admin_client(app, database):
    """A browser signed in as an administrator."""
    return _signed_in(app, database, "ana@example.org", Role.ADMIN)


@pytest.fixture
def analyst_client(app, database):
    """A browser signed in as an analyst."""
    return _signed_in(app, database, "wei@example.org", Role.ANALYST)


# --- A real SMTP server on this machine ------------------------------------------------------


@dataclass
class Mailbox:
    """What the local SMTP server received; addresses in ``refuse`` are turned away."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    logins: list[str] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def link(self, message: EmailMessage) -> str:
        """The token of the personal link in a message's plain text."""
        return LINK.search(message.get_body(("plain",)).get_content()).group(1)


class _Handler:
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.mailbox.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.mailbox.raw.append(envelope.original_content)
        self.mailbox.messages.append(
            email.message_from_bytes(envelope.original_content, policy=default_policy)
        )
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _authenticator(mailbox: Mailbox):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (b"secretariat", b"s3cret")
        if ok:
            mailbox.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    return check


@pytest.fixture
def smtp(app):
    """A local SMTP server (aiosmtpd) that the app is configured to send through."""
    mailbox = Mailbox(_free_port())
    controller = Controller(
        _Handler(mailbox),
        hostname="127.0.0.1",
        port=mailbox.port,
        authenticator=_authenticator(mailbox),
        auth_require_tls=False,
    )
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, MAIL_FROM="tm@unodc.org")
    yield mailbox
    controller.stop()
