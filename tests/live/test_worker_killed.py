"""A gunicorn worker killed with SIGKILL in the middle of a submit, and just after its commit:
nothing half-written is left, and the expert pressing Submit again gets exactly one submission.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from survey.models import Answer, Invitation, Response, Submission
from tests.live.harness import evaluation_answers, framework_answers, pid_owning_local_port

pytestmark = pytest.mark.live

HOLD = "X-Live-Test-Hold"


def _filled(site):
    """An expert with both pages saved, on the review page: (expert, review page HTML)."""
    [invited] = site.invite(1)
    me = site.expert(invited)
    page = me.open()
    saved = me.save("framework", framework_answers(3), page.text, action="next")
    page = me.follow(saved)
    saved = me.save("evaluation", evaluation_answers(3), page.text, action="review")
    review = me.follow(saved)
    assert review.status == 200
    return me, review.text


def _state(site, participant_id: int) -> dict:
    engine = create_engine(site.database_url)
    try:
        with engine.connect() as conn:
            response = conn.execute(
                select(Response).where(Response.participant_id == participant_id)
            ).one()
            return {
                "submissions": conn.scalar(select(func.count()).select_from(Submission)),
                "answers": conn.scalar(select(func.count()).select_from(Answer)),
                "status": response.status,
                "lock_version": response.lock_version,
                "has_submitted": conn.scalar(
                    select(Invitation.has_submitted).where(
                        Invitation.participant_id == participant_id
                    )
                ),
            }
    finally:
        engine.dispose()


def _submit_in_background(me, review_html: str, headers=None):
    outcome: dict = {}

    def run():
        outcome["page"] = me.submit(review_html, headers=headers)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _wait_for(predicate, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _wait_for_replacement(site, killed: int) -> None:
    _wait_for(
        lambda: killed not in site.server.worker_pids() and len(site.server.worker_pids()) == 2,
        "gunicorn to replace the killed worker",
    )


def _retry_gives_one_submission(site, me, review_html, before, repeated: bool):
    again = me.submit(review_html)
    assert again is not None and again.status == 302, again and again.status
    assert again.location.endswith("/done?repeated=1" if repeated else "/done")
    after = _state(site, me.invited.participant_id)
    assert after["submissions"] == 1
    assert after["status"] == "submitted" and after["has_submitted"] is True
    assert after["lock_version"] == before["lock_version"] + 1
    done = me.get("/done")
    assert done.status == 200 and "Answers of expert 3, round 0." in done.text


def test_worker_killed_inside_the_submit_transaction_postgresql(open_site):
    """No hook in the service: the test holds the invitation's row lock, so the worker's
    submit stops inside its transaction, after writing the submission and its answers."""
    site = open_site("postgresql")
    site.server.start()
    me, review_html = _filled(site)
    before = _state(site, me.invited.participant_id)
    engine = create_engine(site.database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as blocker, engine.connect() as watcher:
            blocker.execute(text("BEGIN"))
            blocker.execute(
                select(Invitation.id)
                .where(Invitation.participant_id == me.invited.participant_id)
                .with_for_update()
            )
            thread, outcome = _submit_in_background(me, review_html)
            backend_pid, client_port = _wait_for(
                lambda: watcher.execute(
                    text(
                        "SELECT pid, client_port FROM pg_stat_activity WHERE "
                        "wait_event_type = 'Lock' AND query ILIKE 'UPDATE invitation%'"
                    )
                ).first(),
                "the worker's submit to wait inside its transaction",
            )
            written = set(
                watcher.execute(
                    text(
                        "SELECT relation::regclass::text FROM pg_locks WHERE pid = :pid "
                        "AND locktype = 'relation' AND mode = 'RowExclusiveLock'"
                    ),
                    {"pid": backend_pid},
                ).scalars()
            )
            assert {"submission", "answer"} <= written, written  # it has written its rows
            worker = pid_owning_local_port(site.server.worker_pids(), client_port)
            assert worker is not None, "no gunicorn worker holds that database connection"
            os.kill(worker, signal.SIGKILL)
            thread.join(30)
            assert outcome["page"] is None  # the expert's browser got no answer
            blocker.execute(text("ROLLBACK"))
            # The dead worker's transaction ends with its connection: rolled back.
            _wait_for(
                lambda: (
                    not watcher.execute(
                        text("SELECT 1 FROM pg_stat_activity WHERE pid = :pid"),
                        {"pid": backend_pid},
                    ).first()
                ),
                "PostgreSQL to end the killed worker's session",
            )
    finally:
        engine.dispose()
    assert _state(site, me.invited.participant_id) == before  # nothing half-written
    _wait_for_replacement(site, worker)
    _retry_gives_one_submission(site, me, review_html, before, repeated=False)


def _hold_site(open_site, backend: str, tmp_path: Path):
    hold_dir = tmp_path / "held"
    hold_dir.mkdir()
    site = open_site(backend, app="tests.live.hold_app:app")
    site.server.env["LIVE_TEST_HOLD_DIR"] = str(hold_dir)
    site.server.start()
    return site, hold_dir


def _held_worker(hold_dir: Path, moment: str) -> int:
    marker = _wait_for(lambda: next(hold_dir.glob(f"{moment}-*"), None), f"a worker held {moment}")
    return int(marker.read_text())


def test_worker_killed_inside_the_submit_transaction_sqlite(open_site, tmp_path):
    """SQLite cannot be made to wait inside a transaction from outside (the writer holds the
    only write lock from BEGIN IMMEDIATE on), so a test-only entry point holds the worker
    there (tests/live/hold_app.py)."""
    site, hold_dir = _hold_site(open_site, "sqlite", tmp_path)
    me, review_html = _filled(site)
    before = _state(site, me.invited.participant_id)
    thread, outcome = _submit_in_background(me, review_html, {HOLD: "in-transaction"})
    worker = _held_worker(hold_dir, "in-transaction")
    path = site.database_url.removeprefix("sqlite:///")
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe.execute("BEGIN IMMEDIATE")  # the worker is inside its write transaction
    finally:
        probe.close()
    os.kill(worker, signal.SIGKILL)
    thread.join(30)
    assert outcome["page"] is None
    assert _state(site, me.invited.participant_id) == before  # nothing half-written
    _wait_for_replacement(site, worker)
    _retry_gives_one_submission(site, me, review_html, before, repeated=False)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_worker_killed_just_after_the_commit(open_site, tmp_path, backend):
    """The submission is stored but its confirmation never reaches the expert: the Submit
    pressed again is recognised as the same one."""
    site, hold_dir = _hold_site(open_site, backend, tmp_path)
    me, review_html = _filled(site)
    before = _state(site, me.invited.participant_id)
    thread, outcome = _submit_in_background(me, review_html, {HOLD: "after-commit"})
    worker = _held_worker(hold_dir, "after-commit")
    committed = _state(site, me.invited.participant_id)
    assert committed["submissions"] == 1 and committed["status"] == "submitted"
    os.kill(worker, signal.SIGKILL)
    thread.join(30)
    assert outcome["page"] is None  # committed, but the expert was never told
    assert _state(site, me.invited.participant_id) == committed
    _wait_for_replacement(site, worker)
    _retry_gives_one_submission(site, me, review_html, before, repeated=True)
