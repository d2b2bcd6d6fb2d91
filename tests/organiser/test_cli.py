"""``survey organiser``: accounts made and changed on the server's command line."""

import re

import pytest
from sqlalchemy import select

from survey.cli import cli
from survey.models import Role, Staff, StaffSession
from tests.organiser.helpers import PASSWORD, audit_actions, csrf_token, sign_in

ONE_TIME = re.compile(r"one-time password(?: for \S+)?: (\S+)")
PASSPHRASE_64 = "the heron waits by the cold canal while trams hum past at dusk 7"


def one_time_password(output: str) -> str:
    found = ONE_TIME.search(output)
    assert found, output
    return found.group(1)


def staff(database, email: str) -> Staff | None:
    with database.read_sessions() as session:
        return session.scalar(select(Staff).where(Staff.email == email))


@pytest.mark.parametrize(
    "command", [[], ["add"], ["list"], ["set-role"], ["deactivate"], ["reset-password"]]
)
def test_every_command_has_help(runner, command):
    result = runner.invoke(cli, ["organiser", *command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_there_is_no_default_account(runner, database):
    result = runner.invoke(cli, ["organiser", "list"])
    assert result.exit_code == 0
    assert "no organiser accounts yet" in result.output
    with database.read_sessions() as session:
        assert session.scalars(select(Staff)).all() == []


def test_add_prints_a_one_time_password_that_works_once_and_forces_a_change(
    runner, client, database
):
    result = runner.invoke(cli, ["organiser", "add", "Ana@Example.ORG", "--role", "admin"])
    assert result.exit_code == 0, result.output
    one_time = one_time_password(result.output)
    assert len(one_time.replace("-", "")) == 20
    assert staff(database, "ana@example.org").must_change_password

    response = sign_in(client, "ana@example.org", one_time)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/password")
    # Until the password is changed, every other organiser page leads back to the change.
    assert client.get("/staff/").headers["Location"].startswith("/staff/password")
    assert client.get("/staff/accounts").headers["Location"].startswith("/staff/password")

    response = client.post(
        "/staff/password",
        data={
            "csrf_token": csrf_token(client, "/staff/password"),
            "current_password": one_time,
            "new_password": PASSWORD,
            "confirm_password": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert not staff(database, "ana@example.org").must_change_password

    other = client.application.test_client()
    assert b"E-mail or password is not right" in sign_in(other, "ana@example.org", one_time).data
    assert sign_in(other, "ana@example.org", PASSWORD).headers["Location"] == "/staff/"


def test_adding_an_existing_email_is_a_clear_error(runner, make_account):
    make_account("ana@example.org")
    result = runner.invoke(cli, ["organiser", "add", "ANA@example.org", "--role", "analyst"])
    assert result.exit_code == 1
    assert "an account for ana@example.org exists already" in result.output
    assert "Traceback" not in result.output


def test_a_bad_email_or_role_is_refused(runner):
    assert (
        runner.invoke(cli, ["organiser", "add", "not-an-email", "--role", "admin"]).exit_code == 1
    )
    assert (
        runner.invoke(cli, ["organiser", "add", "a@example.org", "--role", "boss"]).exit_code == 2
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short one", "at least 12 characters"),
        ("password1234", "too common"),
        ("qwertyuiop123", "too common"),
        ("ana's own garden path", "must not contain your e-mail"),
        ("x" * 257, "at most 256 characters"),
    ],
)
def test_weak_passwords_from_stdin_are_refused(runner, database, password, message):
    result = runner.invoke(
        cli,
        ["organiser", "add", "ana@example.org", "--role", "admin", "--password-stdin"],
        input=password + "\n",
    )
    assert result.exit_code == 1
    assert message in result.output
    assert staff(database, "ana@example.org") is None


def test_a_64_character_passphrase_from_stdin_is_accepted(runner, client, database):
    result = runner.invoke(
        cli,
        ["organiser", "add", "ana@example.org", "--role", "analyst", "--password-stdin"],
        input=PASSPHRASE_64 + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "one-time password" not in result.output
    account = staff(database, "ana@example.org")
    assert account.role is Role.ANALYST and not account.must_change_password
    assert account.password_hash.startswith("$argon2id$")
    assert PASSPHRASE_64 not in account.password_hash
    assert sign_in(client, "ana@example.org", PASSPHRASE_64).headers["Location"] == "/staff/"


def test_list_set_role_and_deactivate(runner, client, database, make_account):
    make_account("ana@example.org", Role.ADMIN)
    make_account("wei@example.org", Role.ANALYST)
    sign_in(client, "wei@example.org", PASSWORD)
    assert client.get("/staff/accounts").status_code == 403

    assert runner.invoke(cli, ["organiser", "set-role", "WEI@example.org", "admin"]).exit_code == 0
    assert client.get("/staff/accounts").status_code == 200  # the role applies at once

    result = runner.invoke(cli, ["organiser", "deactivate", "wei@example.org"])
    assert result.exit_code == 0
    assert client.get("/staff/").status_code == 302  # the open session has ended
    assert b"is not right" in sign_in(client, "wei@example.org", PASSWORD).data

    listing = runner.invoke(cli, ["organiser", "list"]).output.splitlines()
    assert listing[0].split("\t")[:3] == ["ana@example.org", "admin", "active"]
    assert listing[1].split("\t")[:3] == ["wei@example.org", "admin", "deactivated"]
    actions = [action for action, _ in audit_actions(database)]
    assert "account.role_changed" in actions and "account.deactivated" in actions


def test_reset_password_ends_all_sessions_and_forces_a_change(runner, client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    result = runner.invoke(cli, ["organiser", "reset-password", admin.email])
    assert result.exit_code == 0
    one_time = one_time_password(result.output)

    assert client.get("/staff/").status_code == 302
    with database.read_sessions() as session:
        live = session.scalars(select(StaffSession).where(StaffSession.ended_at.is_(None)))
        assert live.all() == []
    assert b"is not right" in sign_in(client, admin.email, PASSWORD).data
    response = sign_in(client, admin.email, one_time)
    assert response.headers["Location"].startswith("/staff/password")


def test_changes_to_an_unknown_account_are_clear_errors(runner):
    for command in (["set-role", "x@example.org", "admin"], ["deactivate", "x@example.org"]):
        result = runner.invoke(cli, ["organiser", *command])
        assert result.exit_code == 1
        assert "no organiser account for x@example.org" in result.output
