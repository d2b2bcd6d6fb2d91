"""Rate limits kept in the database, so that every worker and host counts the same failures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey.models import Throttle


@dataclass(frozen=True)
class Limit:
    """At most ``most`` failures under ``key`` in a window of ``window`` from the first one."""

    key: str
    most: int
    window: timedelta


def reserve(session: Session, limits: Sequence[Limit], now: datetime) -> datetime | None:
    """Count one more attempt under each limit; return when to retry if one is exceeded.

    The attempt is counted before it is checked, in one atomic upsert per key, so that many
    attempts sent at once cannot all slip under the limit. Give the count back with
    ``release`` when the attempt turns out not to be a failure.
    """
    retry_at = None
    for limit in limits:
        count, window_start = session.execute(_upsert(session, limit, now)).one()
        if count > limit.most:
            until = window_start + limit.window
            retry_at = until if retry_at is None else max(retry_at, until)
    return retry_at


def release(session: Session, limits: Sequence[Limit]) -> None:
    """Give back the attempt counted by ``reserve``."""
    session.execute(
        update(Throttle)
        .where(Throttle.key.in_([limit.key for limit in limits]), Throttle.count > 0)
        .values(count=Throttle.count - 1)
    )


def forget_older_than(session: Session, cutoff: datetime) -> None:
    """Delete counters whose window started before ``cutoff``: they count nothing any more."""
    session.execute(delete(Throttle).where(Throttle.window_start < cutoff))


def _upsert(session: Session, limit: Limit, now: datetime):
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Throttle).values(key=limit.key, window_start=now, count=1)
    # A counter whose window has passed starts again from this attempt.
    expired = Throttle.window_start <= now - limit.window
    return statement.on_conflict_do_update(
        index_elements=[Throttle.key],
        set_={
            "count": case((expired, 1), else_=Throttle.count + 1),
            "window_start": case(
                (expired, statement.excluded.window_start), else_=Throttle.window_start
            ),
        },
    ).returning(Throttle.count, Throttle.window_start)


def is_blocked(session: Session, limit: Limit, now: datetime) -> datetime | None:
    """When the limit frees again if it is used up now, without counting an attempt; else None."""
    return blocked_until(session.get(Throttle, limit.key), limit, now)


def blocked_until(row: Throttle | None, limit: Limit, now: datetime) -> datetime | None:
    """``is_blocked`` for the limit's counter already read (None: there is none)."""
    if row is None or row.count < limit.most or row.window_start <= now - limit.window:
        return None
    return row.window_start + limit.window
