"""Organiser accounts: creating and changing them, signing in, sessions and the audit trail.

Functions take the caller's session and leave committing to it, except where a check must be
seen by every worker before a slow step (see ``_checked``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager

from survey.models import AuditEvent, Role, Staff, StaffSession
from survey.models.columns import utcnow
from survey.services import passwords, throttle
from survey.services.throttle import Limit

FAILURE_WINDOW = timedelta(minutes=15)
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_CLIENT = 20
SESSION_IDLE = timedelta(hours=8)
SESSION_LIFETIME = timedelta(days=7)
# last_seen_at is written at most this often: a page view need not always be a write.
TOUCH_EVERY = timedelta(minutes=1)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


class AccountError(Exception):
    """A change to an account cannot be made; the message says why, in English."""


class WeakPassword(AccountError):
    """The password breaks the policy."""

    def __init__(self, weakness: passwords.Weakness):
        super().__init__(weakness.describe())
        self.weakness = weakness


class WrongPassword(AccountError):
    """The current password given is not the account's."""


class Limited(AccountError):
    """Too many failures: the next attempt may be made at ``retry_at``."""

    def __init__(self, retry_at: datetime):
        super().__init__(f"too many failed attempts; try again after {retry_at:%H:%M} UTC")
        self.retry_at = retry_at


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: a staff member and session token, a retry time, or neither."""

    staff: Staff | None = None
    token: str | None = None
    retry_at: datetime | None = None


def normalise_email(email: str) -> str:
    """The e-mail as stored: trimmed and lower-cased."""
    return email.strip().lower()


def is_email(email: str) -> bool:
    """Whether ``email`` looks like an e-mail address (one @, a dot in the domain)."""
    return len(email) <= 254 and _EMAIL.fullmatch(email) is not None


def find_account(session: Session, email: str) -> Staff | None:
    """The account with this e-mail, in any letter case."""
    return session.scalar(select(Staff).where(Staff.email == normalise_email(email)))


def list_accounts(session: Session) -> list[Staff]:
    """Every account, by e-mail."""
    return list(session.scalars(select(Staff).order_by(Staff.email)))


def create_account(
    session: Session, email: str, role: Role, password: str | None = None, by: Staff | None = None
) -> tuple[Staff, str | None]:
    """Add an account; without ``password``, return a one-time password to be changed at once."""
    email = normalise_email(email)
    if not is_email(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    if find_account(session, email) is not None:
        raise AccountError(f"an account for {email} exists already")
    one_time = None if password is not None else passwords.one_time_password(email)
    _check_policy(password or one_time, email)
    staff = Staff(
        email=email,
        role=Role(role),
        password_hash=passwords.hash_password(password or one_time),
        must_change_password=one_time is not None,
    )
    try:
        with session.begin_nested():
            session.add(staff)
    except IntegrityError:  # added by someone else in the meantime
        raise AccountError(f"an account for {email} exists already") from None
    _audit_change(session, "account.created", by, account=email, role=staff.role.value)
    return staff, one_time


def set_role(session: Session, staff: Staff, role: Role, by: Staff | None = None) -> None:
    """Give the account another role; it applies from the account's next page."""
    before, staff.role = staff.role, Role(role)
    _audit_change(
        session, "account.role_changed", by, account=staff.email, before=before, after=role
    )


def deactivate(session: Session, staff: Staff, by: Staff | None = None) -> None:
    """Stop the account from signing in, and end its sessions now."""
    staff.active = False
    end_sessions(session, staff.id)
    _audit_change(session, "account.deactivated", by, account=staff.email)


def reset_password(session: Session, staff: Staff, by: Staff | None = None) -> str:
    """Give the account a new one-time password, ending all its sessions; return it."""
    one_time = passwords.one_time_password(staff.email)
    _set_password(session, staff, one_time, must_change=True)
    _audit_change(session, "account.password_reset", by, account=staff.email)
    return one_time


def change_password(
    session: Session, staff: Staff, current: str, new: str, client: str | None
) -> str:
    """Change one's own password, end every other session, and return a new session token."""
    _check_policy(new, staff.email)
    if new == current:
        raise AccountError("the new password must differ from the current one")
    limits = [_account_limit(staff.email)]
    ok, retry_at = _checked(session, limits, staff.password_hash, current)
    if not ok:
        outcome = "limited" if retry_at else "refused"
        audit(session, "password.change_failed", staff_id=staff.id, outcome=outcome, client=client)
        session.commit()
        raise Limited(retry_at) if retry_at else WrongPassword("the current password is not right")
    _set_password(session, staff, new, must_change=False)
    token = start_session(session, staff)
    audit(session, "password.changed", staff_id=staff.id, client=client)
    return token


def authenticate(session: Session, email: str, password: str, client: str | None) -> SignIn:
    """Check e-mail and password under the rate limits; on success start a session.

    Commits: the failures and the audit trail must stay even when the caller fails later.
    """
    email, client = normalise_email(email), client or "unknown"
    staff = find_account(session, email)
    usable = staff if staff is not None and staff.active else None
    # An unknown or inactive account is checked against a dummy hash: it takes as long.
    password_hash = usable.password_hash if usable else None
    ok, retry_at = _checked(session, _login_limits(email, client), password_hash, password)
    detail = {"email": email, "client": client}
    if not ok:
        _audit_refusal(session, staff, retry_at, detail)
        session.commit()
        return SignIn(retry_at=retry_at)
    if passwords.needs_rehash(staff.password_hash):
        staff.password_hash = passwords.hash_password(password)
    throttle.forget_older_than(session, utcnow() - timedelta(days=1))
    token = start_session(session, staff)
    audit(session, "login.succeeded", staff_id=staff.id, **detail)
    session.commit()
    return SignIn(staff=staff, token=token)


def _login_limits(email: str, client: str) -> list[Limit]:
    # Per client too: one address trying many accounts is stopped even below each account's limit.
    by_client = Limit(f"login:client:{client}", FAILURES_PER_CLIENT, FAILURE_WINDOW)
    return [_account_limit(email), by_client]


def _audit_refusal(
    session: Session, staff: Staff | None, retry_at: datetime | None, detail: dict
) -> None:
    who = staff.id if staff else None
    if retry_at is not None:
        audit(session, "login.limited", staff_id=who, outcome="limited", **detail)
        return
    reason = "unknown account" if staff is None else "wrong password"
    if staff is not None and not staff.active:
        reason = "inactive"
    audit(session, "login.failed", staff_id=who, outcome="refused", reason=reason, **detail)


def start_session(session: Session, staff: Staff) -> str:
    """Open a server-side session for ``staff`` and return its token (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        StaffSession(
            token_hash=_digest(token),
            staff_id=staff.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def resume_session(session: Session, token: str) -> StaffSession | None:
    """The live session with this token: not ended, not expired, of an active account."""
    now = utcnow()
    return session.scalar(
        select(StaffSession)
        .join(StaffSession.staff)
        .options(contains_eager(StaffSession.staff))
        .where(
            StaffSession.token_hash == _digest(token),
            StaffSession.ended_at.is_(None),
            StaffSession.expires_at > now,
            StaffSession.last_seen_at > now - SESSION_IDLE,
            StaffSession.created_at >= Staff.password_changed_at,
            Staff.active.is_(True),
        )
    )


def touch_session(session: Session, session_id: int) -> None:
    """Note that the session was just used, which keeps it from idling out."""
    session.execute(
        update(StaffSession).where(StaffSession.id == session_id).values(last_seen_at=utcnow())
    )


def end_session(session: Session, token: str) -> None:
    """End the session with this token, so that its cookie no longer signs anyone in."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == _digest(token), StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_sessions(session: Session, staff_id: int) -> None:
    """End every session of the account."""
    session.execute(
        update(StaffSession)
        .where(StaffSession.staff_id == staff_id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def audit(
    session: Session, action: str, *, staff_id: int | None = None, outcome: str = "ok", **detail
) -> None:
    """Record that ``staff_id`` (None: nobody signed in) did ``action``, with its details."""
    detail = {k: str(v) if isinstance(v, Role) else v for k, v in detail.items()}
    session.add(AuditEvent(staff_id=staff_id, action=action, outcome=outcome, detail=detail))


def _audit_change(session: Session, action: str, by: Staff | None, **detail) -> None:
    # Changes without a signed-in admin are made on the server's command line.
    if by is None:
        detail["by"] = "command line"
    audit(session, action, staff_id=by.id if by else None, **detail)


def _checked(
    session: Session, limits: list[Limit], password_hash: str | None, password: str
) -> tuple[bool, datetime | None]:
    """Check a password under rate limits: (matches, None) or (False, when to retry)."""
    retry_at = throttle.reserve(session, limits, utcnow())
    if retry_at is not None:
        throttle.release(session, limits)  # a refused attempt is not one more failure
        return False, retry_at
    # Commit the counted attempt before the slow check, so that parallel attempts see it.
    session.commit()
    if password_hash is None:
        passwords.verify_nobody(password)
        return False, None
    ok = passwords.verify_password(password_hash, password)
    if ok:
        throttle.release(session, limits)
        session.commit()  # so that no lock is held while a rehash is computed
    return ok, None


def _set_password(session: Session, staff: Staff, password: str, *, must_change: bool) -> None:
    staff.password_hash = passwords.hash_password(password)
    staff.must_change_password = must_change
    staff.password_changed_at = utcnow()
    end_sessions(session, staff.id)


def _check_policy(password: str, email: str) -> None:
    weakness = passwords.weakness(password, email)
    if weakness is not None:
        raise WeakPassword(weakness)


def _account_limit(email: str) -> Limit:
    # Keyed by a digest, so that any e-mail fits the key column.
    return Limit(f"login:account:{_digest(email)}", FAILURES_PER_ACCOUNT, FAILURE_WINDOW)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
