"""Server-side sessions: kept as a hash, ended by sign-out, password change and time."""

import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from argon2 import PasswordHasher
from sqlalchemy import select, update

from survey.models import Staff, StaffSession
from survey.models.columns import utcnow
from survey.services import passwords
from tests.organiser.helpers import PASSWORD, audit_actions, csrf_token, sign_in

NEW_PASSWORD = "lantern orchard copper 19"


def login_redirect(response) -> str:
    """The ``next`` of a redirect to the sign-in page (failing if it is not one)."""
    location = urlsplit(response.headers["Location"])
    assert location.path == "/staff/login"
    return parse_qs(location.query)["next"][0]


def cookie_token(app, client) -> str:
    """The raw session token inside the signed Flask session cookie."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie("session").value)["staff_token"]


def change_password(client, current: str, new: str, confirm: str | None = None):
    return client.post(
        "/staff/password",
        data={
            "csrf_token": csrf_token(client, "/staff/password"),
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
        },
    )


def test_only_the_hash_of_the_token_is_kept(app, client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    token = cookie_token(app, client)
    assert len(token) >= 43  # 32 random bytes
    with database.read_sessions() as session:
        kept = session.scalars(select(StaffSession)).one()
    assert kept.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert kept.expires_at - kept.created_at == timedelta(days=7)


def test_after_sign_out_the_old_cookie_no_longer_works(client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    old_cookie = client.get_cookie("session").value
    response = client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})
    assert response.headers["Location"] == "/staff/login"
    assert client.get("/staff/").status_code == 302

    client.set_cookie("session", old_cookie)  # replay the cookie from before
    response = client.get("/staff/")
    assert response.status_code == 302
    assert login_redirect(response) == "/staff/"
    with database.read_sessions() as session:
        assert session.scalars(select(StaffSession)).one().ended_at is not None
    assert ("logout", "ok") in audit_actions(database)


def test_sign_out_needs_the_csrf_token(client, admin):
    sign_in(client, admin.email, PASSWORD)
    assert client.post("/staff/logout").status_code == 400
    assert client.get("/staff/").status_code == 200


def test_a_password_change_ends_the_other_sessions(app, client, database, admin):
    laptop, phone = client, app.test_client()
    sign_in(laptop, admin.email, PASSWORD)
    sign_in(phone, admin.email, PASSWORD)
    assert phone.get("/staff/").status_code == 200

    response = change_password(laptop, PASSWORD, NEW_PASSWORD)
    assert response.headers["Location"] == "/staff/"
    assert laptop.get("/staff/").status_code == 200  # a new session for the one who changed it
    assert phone.get("/staff/").headers["Location"].startswith("/staff/login")
    assert b"is not right" in sign_in(app.test_client(), admin.email, PASSWORD).data
    assert sign_in(app.test_client(), admin.email, NEW_PASSWORD).status_code == 302
    assert ("password.changed", "ok") in audit_actions(database)


def test_a_password_change_checks_the_current_and_the_new_password(client, admin):
    sign_in(client, admin.email, PASSWORD)
    page = change_password(client, "not my password at all", NEW_PASSWORD).get_data(as_text=True)
    assert "The current password is not right." in page
    page = change_password(client, PASSWORD, "short").get_data(as_text=True)
    assert "Use at least 12 characters" in page and 'role="alert"' in page
    assert 'aria-describedby="new_password-hint new_password-error"' in page
    page = change_password(client, PASSWORD, "password123456").get_data(as_text=True)
    assert "too common" in page
    page = change_password(client, PASSWORD, NEW_PASSWORD, "something else").get_data(as_text=True)
    assert "The two new passwords are not the same." in page
    page = change_password(client, PASSWORD, PASSWORD).get_data(as_text=True)
    assert "must differ from the current one" in page
    assert client.get("/staff/").status_code == 200  # still signed in, password unchanged


def test_guessing_the_current_password_is_rate_limited(client, admin):
    sign_in(client, admin.email, PASSWORD)
    for _ in range(5):
        assert change_password(client, "a wrong guess, again", NEW_PASSWORD).status_code == 200
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 429
    assert "Try again in" in response.get_data(as_text=True)


def test_an_idle_session_ends_after_eight_hours(client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    with database.writing() as session:
        session.execute(
            update(StaffSession).values(last_seen_at=utcnow() - timedelta(hours=8, minutes=1))
        )
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")


def test_a_used_session_is_kept_alive(client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    with database.writing() as session:
        session.execute(update(StaffSession).values(last_seen_at=utcnow() - timedelta(hours=7)))
    assert client.get("/staff/").status_code == 200
    with database.read_sessions() as session:
        seen = session.scalars(select(StaffSession)).one().last_seen_at
    assert utcnow() - seen < timedelta(minutes=1)


def test_every_session_ends_after_seven_days(client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    with database.writing() as session:
        session.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert client.get("/staff/").headers["Location"].startswith("/staff/login")


def test_sessions_older_than_the_password_do_not_count(client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    now = utcnow()
    with database.writing() as session:
        session.execute(update(Staff).values(password_changed_at=now - timedelta(hours=2)))
        session.execute(update(StaffSession).values(created_at=now - timedelta(hours=1)))
    assert client.get("/staff/").status_code == 200
    # As if the password had been changed by another process after this session began.
    with database.writing() as session:
        session.execute(update(Staff).values(password_changed_at=now - timedelta(minutes=5)))
    assert login_redirect(client.get("/staff/")) == "/staff/"


def test_a_rehash_happens_at_sign_in_when_the_parameters_change(
    client, database, admin, monkeypatch
):
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", stronger)
    assert sign_in(client, admin.email, PASSWORD).status_code == 302
    with database.read_sessions() as session:
        hashed = session.get(Staff, admin.id).password_hash
    assert "m=2048,t=2,p=1" in hashed
    assert stronger.verify(hashed, PASSWORD)
