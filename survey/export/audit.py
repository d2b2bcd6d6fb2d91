"""The audit trail of exports: who took what, when, with which filters, and how many rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from survey.db import database
from survey.models import AuditEvent


def record(
    action: str, staff_id: int | None, outcome: str = "ok", rows: int | None = None, **detail: Any
) -> int:
    """Write an audit event in its own transaction (it stays even if the export fails)."""
    with database().writing() as session:
        event = AuditEvent(
            staff_id=staff_id, action=action, outcome=outcome, rows=rows, detail=detail
        )
        session.add(event)
        session.flush()
        return event.id


def counted(rows: Iterable[list[Any]], event_id: int) -> Iterator[list[Any]]:
    """Pass rows through; at the end write their number (without the header) to the event."""
    count = -1
    outcome = "interrupted"
    try:
        for count, row in enumerate(rows):  # noqa: B007  (count is read after the loop)
            yield row
        outcome = "ok"
    finally:
        with database().writing() as session:
            event = session.get(AuditEvent, event_id)
            event.rows, event.outcome = max(count, 0), outcome
