"""Who is signed in, and the decorators that let only signed-in staff (of a role) through."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from survey import db
from survey.models import Role, Staff, StaffSession
from survey.models.columns import utcnow
from survey.services import accounts

SESSION_KEY = "staff_token"
# The pages a signed-in person whose password must be changed may still open.
OPEN_WHILE_PASSWORD_PENDING = {"auth.change_password", "auth.logout"}
_READING = {"GET", "HEAD", "OPTIONS"}

View = TypeVar("View", bound=Callable)


def current_staff() -> Staff | None:
    """The staff member signed in for this request (also ``g.staff``), or None."""
    if "staff" not in g:
        g.staff = None
        token = session.get(SESSION_KEY)
        found = accounts.resume_session(db.session(), token) if token else None
        if found is None:
            session.pop(SESSION_KEY, None)
        else:
            g.staff = found.staff
            _touch(found)
    return g.staff


def login_required(view: View) -> View:
    """Let signed-in staff through; send others to the sign-in page, and back afterwards."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        staff = current_staff()
        if staff is None:
            return redirect(url_for("auth.login", next=_here()))
        if staff.must_change_password and request.endpoint not in OPEN_WHILE_PASSWORD_PENDING:
            return redirect(url_for("auth.change_password", next=_here()))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def role_required(*roles: Role) -> Callable[[View], View]:
    """Let through only signed-in staff with one of ``roles``; others get 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_staff().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read a backslash as a slash and drop tabs and newlines: "/\\evil", "/\t/evil".
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def begin(token: str) -> None:
    """Put a new session's token in a fresh cookie session (a new one: no fixation)."""
    _fresh_cookie_session()
    session[SESSION_KEY] = token
    g.pop("staff", None)


def end() -> None:
    """Forget the signed-in session in the cookie."""
    _fresh_cookie_session()
    g.staff = None


def current_token() -> str | None:
    """The raw session token from the cookie, if any."""
    return session.get(SESSION_KEY)


def _fresh_cookie_session() -> None:
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def _touch(found: StaffSession) -> None:
    if utcnow() - found.last_seen_at < accounts.TOUCH_EVERY:
        return
    if request.method in _READING:
        # A reading request's session does not write: a short write transaction of its own.
        with db.database().writing() as writer:
            accounts.touch_session(writer, found.id)
    else:
        request_session = db.session()
        accounts.touch_session(request_session, found.id)
        request_session.commit()


def _here() -> str:
    return request.full_path if request.query_string else request.path
