"""Every route is classified by who may use it; each is called as each kind of user.

A route missing from ROUTES fails the first test: new routes are denied until someone
decides who may use them.
"""

import re

import pytest
from sqlalchemy import func, select, text

from survey.db import Base
from tests.organiser.helpers import csrf_token, sign_in

PUBLIC, EXPERT, STAFF, ADMIN, STATIC = "public", "expert", "staff", "admin", "static"
ROUTES = {
    "public.home": PUBLIC,
    "public.healthz": PUBLIC,
    "auth.login": PUBLIC,
    "static": STATIC,
    "vendor_plotly": STATIC,
    "respondent.welcome": EXPERT,
    "respondent.start": EXPERT,
    "respondent.page": EXPERT,
    "respondent.save_page": EXPERT,
    "respondent.autosave": EXPERT,
    "respondent.review": EXPERT,
    "respondent.submit": EXPERT,
    "respondent.done": EXPERT,
    "auth.home": STAFF,
    "auth.logout": STAFF,
    "auth.change_password": STAFF,
    "organiser.index": STAFF,
    "organiser.dashboard": STAFF,
    "organiser.compare": STAFF,
    "organiser.sessions": STAFF,
    "export.index": STAFF,
    "export.aggregated": STAFF,
    "export.codebook": STAFF,
    "tracking.index": STAFF,
    "tracking.questionnaire": STAFF,
    "auth.accounts.index": ADMIN,
    "auth.accounts.add": ADMIN,
    "auth.accounts.set_role": ADMIN,
    "auth.accounts.deactivate": ADMIN,
    "auth.accounts.reset_password": ADMIN,
    "organiser.texts": ADMIN,
    "export.raw": ADMIN,
    "export.audit_log": ADMIN,
    "tracking.close": ADMIN,
    "tracking.reopen": ADMIN,
    "tracking.move_closing": ADMIN,
    "tracking.pending_links": ADMIN,
    "tracking.confirm_reminder": ADMIN,
    "tracking.remind": ADMIN,
    "tracking.participants.upload_page": ADMIN,
    "tracking.participants.upload": ADMIN,
    "tracking.participants.issue_links": ADMIN,
}
# Tables a GET may write to: sign-in bookkeeping and the audit trail, never answers.
BOOKKEEPING = {"staff_session", "throttle", "audit_event"}


def _url(app, rule, expert, staff_id) -> str:
    values = {
        "token": expert.token,
        "section": "framework",
        "slug": "minimal",
        "staff_id": staff_id,
        "filename": "style.css",
        "version": "",
    }
    if rule.endpoint == "vendor_plotly":
        from survey.organiser.vendor import VERSION

        values["version"] = VERSION
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})


def _rules(app, kind=None, method=None):
    return [
        r
        for r in app.url_map.iter_rules()
        if (kind is None or ROUTES.get(r.endpoint) == kind)
        and (method is None or method in r.methods)
    ]


def test_every_route_is_classified(app):
    unclassified = sorted(r.endpoint for r in app.url_map.iter_rules())
    missing = [e for e in unclassified if e not in ROUTES]
    assert missing == [], f"classify these routes in ROUTES: {missing}"
    assert set(ROUTES) == {r.endpoint for r in app.url_map.iter_rules()}, "stale entries"


def test_staff_pages_send_anonymous_users_to_sign_in(app, client, expert, analyst):
    for rule in _rules(app, STAFF, "GET") + _rules(app, ADMIN, "GET"):
        response = client.get(_url(app, rule, expert, analyst.id), buffered=True)
        assert response.status_code == 302, rule.endpoint
        assert response.location.startswith("/staff/login"), rule.endpoint


def test_staff_posts_send_anonymous_users_to_sign_in(app, client, expert, analyst):
    for rule in _rules(app, STAFF, "POST") + _rules(app, ADMIN, "POST"):
        token = csrf_token(client)  # signing out clears the session, and its token with it
        response = client.post(_url(app, rule, expert, analyst.id), data={"csrf_token": token})
        assert response.status_code == 302, rule.endpoint
        assert response.location.startswith("/staff/login"), rule.endpoint


def test_an_expert_link_is_no_staff_credential(app, client, expert, analyst):
    assert client.get(expert.url + "/").status_code == 200
    for rule in _rules(app, STAFF, "GET") + _rules(app, ADMIN, "GET"):
        response = client.get(_url(app, rule, expert, analyst.id), buffered=True)
        assert response.status_code == 302, rule.endpoint


def test_analysts_get_403_on_every_admin_route(app, client, expert, analyst):
    sign_in(client, analyst.email, analyst.password)
    token = csrf_token(client, "/staff/")
    for rule in _rules(app, ADMIN):
        url = _url(app, rule, expert, analyst.id)
        if "GET" in rule.methods:
            assert client.get(url).status_code == 403, rule.endpoint
        if "POST" in rule.methods:
            assert client.post(url, data={"csrf_token": token}).status_code == 403, rule.endpoint


def test_analysts_and_admins_open_every_staff_page(app, client, expert, analyst, admin):
    for account in (analyst, admin):
        sign_in(client, account.email, account.password)
        kinds = (STAFF,) if account is analyst else (STAFF, ADMIN)
        for kind in kinds:
            for rule in _rules(app, kind, "GET"):
                if rule.endpoint == "tracking.confirm_reminder":
                    continue  # a confirmation page reached from a form, see tests/tracking
                response = client.get(_url(app, rule, expert, analyst.id), buffered=True)
                # The test questionnaire has no pre/post partner to compare with.
                expected = 404 if rule.endpoint == "organiser.compare" else 200
                assert response.status_code == expected, (account.email, rule.endpoint)
        client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/")})


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_post_needs_a_csrf_token(app, client, expert, admin, signed_in):
    if signed_in:
        sign_in(client, admin.email, admin.password)
    before = _snapshot(app)
    for rule in _rules(app, method="POST"):
        response = client.post(_url(app, rule, expert, admin.id), data={"x": "1"})
        if rule.endpoint.startswith("respondent."):
            # The experts' forms say so in the page and keep what was typed (never a bare 400).
            assert response.status_code in {400, 302, 409}, rule.endpoint
            if response.status_code == 302:
                assert "expired=1" in response.location, rule.endpoint
        else:
            assert response.status_code == 400, rule.endpoint
    assert _snapshot(app) == before


def test_get_never_changes_state(app, client, expert, admin):
    sign_in(client, admin.email, admin.password)
    before = _snapshot(app)
    for rule in _rules(app, method="GET"):
        client.get(_url(app, rule, expert, admin.id), buffered=True)
    assert _snapshot(app) == before


def _snapshot(app) -> dict[str, int]:
    """Rows per table and the sum of every response's lock version."""
    with app.app_context(), app.extensions["survey.db"].read_sessions() as session:
        counts = {
            t.name: session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
            if t.name not in BOOKKEEPING
        }
        counts["locks"] = session.scalar(
            text("SELECT COALESCE(SUM(lock_version), 0) FROM response")
        )
        return counts


def test_security_headers_on_every_kind_of_page(app, client, expert, admin):
    sign_in(client, admin.email, admin.password)
    for url in ("/", expert.url + "/", "/staff/", "/staff/q/minimal/dashboard"):
        headers = client.get(url).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
        assert re.search(r"script-src 'self'(;|$)", headers["Content-Security-Policy"]), url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url
