"""Signing in: one answer for every refusal, CSRF, and rate limits kept in the database."""

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from survey import create_app
from survey.cli import cli
from survey.models import AuditEvent, StaffSession, Throttle
from survey.models.columns import utcnow
from survey.services import accounts, throttle
from tests.organiser.helpers import PASSWORD, audit_actions, csrf_token, sign_in

ATTACKER = {"REMOTE_ADDR": "203.0.113.7"}


def normalised(response, email: str) -> str:
    """The page without what differs by design: the CSRF token and the e-mail typed."""
    page = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'(name="csrf_token" type="hidden" value=")[^"]*"', r"\1TOKEN", page)


def test_the_sign_in_page_has_a_form_with_a_csrf_token(client):
    response = client.get("/staff/login")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'autocomplete="current-password"' in page
    assert csrf_token(client)


def test_signing_in_leads_to_the_landing_page(client, admin):
    response = sign_in(client, "ANA@Example.org ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/").get_data(as_text=True)
    assert "ana@example.org" in page and "Administrator" in page
    assert "/staff/accounts" in page


def test_wrong_password_and_unknown_email_give_the_same_page(client, admin, database):
    wrong = sign_in(client, admin.email, "not the password at all")
    unknown = sign_in(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    assert "E-mail or password is not right" in wrong.get_data(as_text=True)
    assert normalised(wrong, admin.email) == normalised(unknown, "nobody@example.org")
    assert audit_actions(database) == [
        ("account.created", "ok"),
        ("login.failed", "refused"),
        ("login.failed", "refused"),
    ]


def test_an_unknown_email_still_runs_the_hasher(client, monkeypatch):
    calls = []
    real = accounts.passwords.verify_password
    monkeypatch.setattr(
        accounts.passwords, "verify_password", lambda h, p: calls.append(h) or real(h, p)
    )
    sign_in(client, "nobody@example.org", "not the password at all")
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_signing_in_starts_a_new_cookie_session(client, admin):
    with client.session_transaction() as cookie_session:
        cookie_session["planted"] = "by someone else"
    sign_in(client, admin.email, PASSWORD)
    with client.session_transaction() as cookie_session:
        assert "planted" not in cookie_session
        assert cookie_session["staff_token"]


def test_a_deactivated_account_is_refused_with_the_same_words(client, admin, analyst, runner):
    runner.invoke(cli, ["organiser", "deactivate", analyst.email])
    response = sign_in(client, analyst.email, PASSWORD)
    assert b"E-mail or password is not right" in response.data


def test_sign_in_without_csrf_token_is_refused(database_url, tmp_path, admin):
    app = create_app(
        {"DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path), "WTF_CSRF_ENABLED": True}
    )
    client = app.test_client()
    client.get("/staff/login")  # a session with a CSRF secret, but the token is left out
    response = client.post("/staff/login", data={"email": admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302
    with app.extensions["survey.db"].read_sessions() as session:
        assert session.scalars(select(StaffSession)).all() == []
    app.extensions["survey.db"].dispose()


def test_five_failures_lock_the_account_for_fifteen_minutes(client, admin, analyst, database):
    for _ in range(5):
        assert sign_in(client, admin.email, "not the password at all").status_code == 200
    response = sign_in(client, admin.email, PASSWORD)  # even the right password
    assert response.status_code == 429
    assert "Try again in 15 minutes" in response.get_data(as_text=True)
    assert 890 <= int(response.headers["Retry-After"]) <= 900
    assert ("login.limited", "limited") in audit_actions(database)
    # Another account from the same address is not locked.
    assert sign_in(client, analyst.email, PASSWORD).headers["Location"] == "/staff/"

    # Once the window has passed, the account may sign in again.
    with database.writing() as session:
        session.execute(update(Throttle).values(window_start=utcnow() - timedelta(minutes=16)))
    other = client.application.test_client()
    assert sign_in(other, admin.email, PASSWORD).headers["Location"] == "/staff/"


def test_a_success_does_not_count_as_a_failure(client, admin):
    for _ in range(4):
        sign_in(client, admin.email, "not the password at all")
    for _ in range(3):
        fresh = client.application.test_client()
        assert sign_in(fresh, admin.email, PASSWORD).status_code == 302
    assert sign_in(client, admin.email, "not the password at all").status_code == 200
    assert sign_in(client, admin.email, "not the password at all").status_code == 429


def test_twenty_failures_lock_the_client_and_a_forged_header_does_not_help(client, admin, database):
    for n in range(20):
        response = sign_in(client, f"guess{n}@example.org", "not it at all", environ_base=ATTACKER)
        assert response.status_code == 200
    forged = {"X-Forwarded-For": "198.51.100.23", "X-Real-IP": "198.51.100.23"}
    response = sign_in(client, admin.email, PASSWORD, environ_base=ATTACKER, headers=forged)
    assert response.status_code == 429
    # The account itself is not locked: from another address it signs in.
    other = client.application.test_client()
    response = sign_in(other, admin.email, PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    assert response.headers["Location"] == "/staff/"
    with database.read_sessions() as session:
        limited = session.scalars(select(AuditEvent).where(AuditEvent.action == "login.limited"))
        assert [event.detail["client"] for event in limited] == ["203.0.113.7"]


def test_the_throttle_upsert_counts_every_attempt_made_at_once(database):
    limit = throttle.Limit("test:parallel", most=100, window=timedelta(minutes=15))
    counts, barrier = [], threading.Barrier(8)

    def attempt():
        barrier.wait()
        with database.writing() as session:
            counts.append(throttle.reserve(session, [limit], utcnow()))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counts == [None] * 8
    with database.read_sessions() as session:
        assert session.get(Throttle, "test:parallel").count == 8


@pytest.mark.parametrize("most", [1, 3])
def test_reserve_says_when_to_retry(database, most):
    limit = throttle.Limit("test:retry", most=most, window=timedelta(minutes=15))
    start = utcnow()
    with database.writing() as session:
        results = [throttle.reserve(session, [limit], start) for _ in range(most + 1)]
    assert results[:most] == [None] * most
    assert results[most] == start + timedelta(minutes=15)
