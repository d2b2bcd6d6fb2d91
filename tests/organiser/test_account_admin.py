"""The admins' accounts page: add, change role, deactivate, reset password, all audited."""

import re

from sqlalchemy import select

from survey.models import AuditEvent, Role, Staff
from tests.organiser.helpers import PASSWORD, csrf_token, sign_in

ONE_TIME = re.compile(r"<code>([a-z0-9-]{24})</code>")


def post(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/staff/accounts"), **data})


def account(database, email: str) -> Staff | None:
    with database.read_sessions() as session:
        return session.scalar(select(Staff).where(Staff.email == email))


def audit(database, action: str) -> list[AuditEvent]:
    with database.read_sessions() as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_the_page_lists_accounts_with_unique_ids(client, admin, analyst):
    sign_in(client, admin.email, PASSWORD)
    response = client.get("/staff/accounts")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert admin.email in page and analyst.email in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert '<table class="data">' in page


def test_adding_an_account_shows_its_one_time_password_once(app, client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    response = post(client, "/staff/accounts", email="Wei@Example.org", role="analyst")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    one_time = ONE_TIME.search(response.get_data(as_text=True)).group(1)
    assert one_time not in client.get("/staff/accounts").get_data(as_text=True)

    created = account(database, "wei@example.org")
    assert created.role is Role.ANALYST and created.must_change_password
    event = audit(database, "account.created")[-1]
    assert event.staff_id == admin.id and event.detail["account"] == "wei@example.org"

    newcomer = app.test_client()
    assert (
        sign_in(newcomer, "wei@example.org", one_time)
        .headers["Location"]
        .startswith("/staff/password")
    )


def test_adding_an_existing_or_bad_email_is_refused(client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    response = post(client, "/staff/accounts", email="ANA@example.org", role="admin")
    assert response.status_code == 400
    assert "An account with this e-mail exists already." in response.get_data(as_text=True)
    response = post(client, "/staff/accounts", email="not an address", role="admin")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert len(audit(database, "account.created")) == 1  # the admin's own, from the fixture


def test_changing_a_role_applies_at_once(app, client, database, admin, analyst):
    other = app.test_client()
    sign_in(other, analyst.email, PASSWORD)
    assert other.get("/staff/accounts").status_code == 403

    sign_in(client, admin.email, PASSWORD)
    response = post(
        client, f"/staff/accounts/{analyst.id}/role", **{f"account-{analyst.id}-role": "admin"}
    )
    assert response.headers["Location"] == "/staff/accounts"
    assert account(database, analyst.email).role is Role.ADMIN
    assert other.get("/staff/accounts").status_code == 200
    [event] = audit(database, "account.role_changed")
    assert event.detail == {"account": analyst.email, "before": "analyst", "after": "admin"}


def test_deactivating_ends_the_sessions_of_the_account(app, client, database, admin, analyst):
    other = app.test_client()
    sign_in(other, analyst.email, PASSWORD)
    sign_in(client, admin.email, PASSWORD)
    post(client, f"/staff/accounts/{analyst.id}/deactivate")
    assert not account(database, analyst.email).active
    assert other.get("/staff/").status_code == 302
    assert b"is not right" in sign_in(app.test_client(), analyst.email, PASSWORD).data
    assert audit(database, "account.deactivated")[0].staff_id == admin.id


def test_resetting_a_password_ends_sessions_and_shows_a_new_one_time_password(
    app, client, database, admin, analyst
):
    other = app.test_client()
    sign_in(other, analyst.email, PASSWORD)
    sign_in(client, admin.email, PASSWORD)
    response = post(client, f"/staff/accounts/{analyst.id}/reset-password")
    one_time = ONE_TIME.search(response.get_data(as_text=True)).group(1)
    assert other.get("/staff/").status_code == 302
    assert account(database, analyst.email).must_change_password
    response = sign_in(app.test_client(), analyst.email, one_time)
    assert response.headers["Location"].startswith("/staff/password")
    assert audit(database, "account.password_reset")[0].staff_id == admin.id


def test_an_admin_cannot_lock_themselves_out(client, database, admin):
    sign_in(client, admin.email, PASSWORD)
    post(client, f"/staff/accounts/{admin.id}/deactivate")
    post(client, f"/staff/accounts/{admin.id}/role", **{f"account-{admin.id}-role": "analyst"})
    page = client.get("/staff/accounts").get_data(as_text=True)
    assert "You cannot change your own account here." in page
    me = account(database, admin.email)
    assert me.active and me.role is Role.ADMIN


def test_changes_need_the_csrf_token(client, database, admin, analyst):
    sign_in(client, admin.email, PASSWORD)
    assert client.post(f"/staff/accounts/{analyst.id}/deactivate").status_code == 400
    assert client.post("/staff/accounts", data={"email": "x@example.org"}).status_code == 400
    assert account(database, analyst.email).active


def test_an_unknown_account_is_404(client, admin):
    sign_in(client, admin.email, PASSWORD)
    assert post(client, "/staff/accounts/999/deactivate").status_code == 404
