"""Helpers for organiser tests: sign in through the form as a browser would, read the audit."""

from __future__ import annotations

import re

from sqlalchemy import select

from survey.models import AuditEvent

PASSWORD = "violet kettle harbour 42"
CSRF = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*?value="([^"]+)"')


def csrf_token(client, url: str = "/staff/login") -> str:
    """The CSRF token of the form on the page at ``url``."""
    response = client.get(url)
    found = CSRF.search(response.get_data(as_text=True))
    assert found, f"no CSRF token on {url} ({response.status_code})"
    return found.group(1)


def sign_in(client, email: str, password: str, next_url: str = "", **kwargs):
    """Post the sign-in form as a browser would, with the CSRF token read from the page."""
    data = {
        "csrf_token": csrf_token(client),
        "email": email,
        "password": password,
        "next": next_url,
    }
    return client.post("/staff/login", data=data, **kwargs)


def audit_actions(database) -> list[tuple[str, str]]:
    """Every audit event so far, as (action, outcome), oldest first."""
    with database.read_sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.outcome) for e in events]
