"""Who may open which organiser page, and where the sign-in page sends people back to."""

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g

from survey.auth import current_staff, login_required
from survey.auth.access import safe_next
from tests.organiser.helpers import PASSWORD, csrf_token, sign_in

OPEN_REDIRECTS = [
    "//evil.example/staff/",
    "///evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "evil.example",
]


@pytest.mark.parametrize("path", ["/staff/", "/staff/accounts", "/staff/password"])
def test_anonymous_visitors_are_sent_to_sign_in_with_next(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/staff/login"
    assert parse_qs(location.query) == {"next": [path]}


def test_after_signing_in_the_page_asked_for_opens(client, admin):
    next_url = urlsplit(client.get("/staff/accounts?sort=email").headers["Location"])
    wanted = parse_qs(next_url.query)["next"][0]
    assert wanted == "/staff/accounts?sort=email"
    response = sign_in(client, admin.email, PASSWORD, next_url=wanted)
    assert response.headers["Location"] == "/staff/accounts?sort=email"


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_next_outside_the_site_is_ignored(client, admin, target):
    response = sign_in(client, admin.email, PASSWORD, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_next_outside_the_site_is_ignored_when_already_signed_in(client, admin, target):
    sign_in(client, admin.email, PASSWORD)
    response = client.get("/staff/login", query_string={"next": target})
    assert response.headers["Location"] == "/staff/"


def test_safe_next_keeps_paths_on_this_site():
    assert safe_next("/staff/accounts?x=1#top") == "/staff/accounts?x=1#top"
    assert safe_next("/") == "/"
    assert safe_next("") is None and safe_next(None) is None
    assert all(safe_next(target) is None for target in OPEN_REDIRECTS)


def test_an_analyst_may_not_open_admin_pages(client, admin, analyst):
    sign_in(client, analyst.email, PASSWORD)
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/accounts").status_code == 403
    token = csrf_token(client, "/staff/")
    for action in ("deactivate", "reset-password"):
        response = client.post(f"/staff/accounts/{admin.id}/{action}", data={"csrf_token": token})
        assert response.status_code == 403
    response = client.post("/staff/accounts", data={"csrf_token": token, "email": "x@y.org"})
    assert response.status_code == 403
    assert "/staff/accounts" not in client.get("/staff/").get_data(as_text=True)


def test_current_staff_is_the_signed_in_account(app, client, analyst):
    seen = []

    @app.get("/staff/probe")
    @login_required
    def probe():
        seen.append((current_staff().email, g.staff.role.value))
        return "ok"

    sign_in(client, analyst.email, PASSWORD)
    assert client.get("/staff/probe").status_code == 200
    assert seen == [("wei@example.org", "analyst")]
