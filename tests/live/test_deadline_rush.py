"""The deadline rush: a few hundred experts answering within about a minute, a burst of
simultaneous submits in the middle of it, and a backup taken while it runs.

Each of the rush's experts opens the link (welcome, Start, first page), saves three times
(the first page half-filled, then whole with "Next", then the last page with "Review and
submit"), following every redirect as a browser does, and submits: 11 requests, from a pool
of 32 threads on loopback. The burst: 50 other experts, waiting on their review pages,
press Submit at the same moment. Then `survey backup` runs (a separate process, as an
operator would) while the rush goes on; the backup is restored into a new database which
must hold every answer acknowledged before the backup started, in one consistent state.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine

from survey.services import backup as backups
from tests.databases import postgres_database
from tests.live.harness import ROOT, csrf_token, evaluation_answers, framework_answers

pytestmark = pytest.mark.live

EXPERTS = 300
BURST = 50
POOL = 32
SURVEY = [sys.executable, "-c", "from survey.cli import main; main()"]


class Tally:
    """Every request's status (None: no answer at all) and how long it took."""

    def __init__(self):
        self.statuses: Counter = Counter()
        self.times: list[float] = []
        self.lock = threading.Lock()

    def add(self, status, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.times.append(seconds)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def _timed(tally: Tally, call, *args, expect: int, **kwargs):
    started = time.monotonic()
    page = call(*args, **kwargs)
    tally.add(page.status if page is not None else None, time.monotonic() - started)
    assert page is not None, "no answer (connection error)"
    assert page.status == expect, (page.status, page.text[:300])
    return page


def _to_review(site, invited, tally: Tally):
    """Open, save three times: the expert and the review page's HTML."""
    me = site.expert(invited)
    i = invited.number
    welcome = _timed(tally, me.get, "/", expect=200)
    start = {"csrf_token": csrf_token(welcome.text)}
    started = _timed(tally, me.browser.post, me.url + "/start", start, expect=302)
    page = _timed(tally, me.follow, started, expect=200)
    half = {k: v for k, v in framework_answers(i, 1).items() if k in {"country", "lead_agency"}}
    saved = _timed(tally, me.save, "framework", half, page.text, expect=302)
    page = _timed(tally, me.follow, saved, expect=200)
    saved = _timed(tally, me.save, "framework", framework_answers(i), page.text, "next", expect=302)
    page = _timed(tally, me.follow, saved, expect=200)
    saved = _timed(
        tally, me.save, "evaluation", evaluation_answers(i), page.text, "review", expect=302
    )
    return me, _timed(tally, me.follow, saved, expect=200).text


def _submit(me, review_html: str, tally: Tally) -> None:
    done = _timed(tally, me.submit, review_html, expect=302)
    assert done.location.endswith("/done"), done.location
    _timed(tally, me.follow, done, expect=200)


def _restore(site, backup_file, folder) -> tuple[str, object]:
    """Restore the backup into a new database: its URL, and the context that drops it."""
    if site.backend == "sqlite":
        url = f"sqlite:///{folder / 'restored.db'}"
        env = {**site.server.env, "SURVEY_DATABASE_URL": url}
        result = subprocess.run(
            [*SURVEY, "restore", str(backup_file), "--yes"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return url, None
    database = postgres_database()
    url = database.__enter__()
    uri, env = backups.libpq_arguments(create_engine(url).url)
    subprocess.run(
        [backups.find_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={uri}",
         str(backup_file)],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    return url, database


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_deadline_rush_with_a_burst_and_a_backup_during_it(open_site, backend, tmp_path):
    site = open_site(backend)
    site.server.start()
    rush = site.invite(EXPERTS)
    burst = site.invite(BURST)
    tally = Tally()
    with ThreadPoolExecutor(POOL) as pool:
        waiting = list(pool.map(lambda invited: _to_review(site, invited, tally), burst))
    tally = Tally()  # the rush itself from here

    finished = Counter()
    backup: dict = {}

    def expert(invited) -> None:
        me, review = _to_review(site, invited, tally)
        _submit(me, review, tally)
        with tally.lock:
            finished["experts"] += 1

    def burst_of_submits() -> None:
        barrier = threading.Barrier(BURST)

        def press(item) -> None:
            me, review = item
            barrier.wait()
            _submit(me, review, tally)

        with ThreadPoolExecutor(BURST) as pressers:
            list(pressers.map(press, waiting))
        finished["burst"] = BURST

    def take_backup() -> None:
        out = tmp_path / "during-the-rush.backup"
        backup["started"] = time.monotonic()
        result = subprocess.run(
            [*SURVEY, "backup", "--out", str(out)],
            cwd=ROOT, env=site.server.env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        backup["took"] = time.monotonic() - backup["started"]
        backup["finished_experts"] = finished["experts"]
        assert result.returncode == 0, result.stderr
        backup["output"] = result.stdout.strip()
        backup["file"] = out

    started = time.monotonic()
    side: list[tuple[threading.Thread, dict]] = []
    with ThreadPoolExecutor(POOL) as pool:
        futures = [pool.submit(expert, invited) for invited in rush]
        for trigger, action in ((EXPERTS // 4, burst_of_submits), (EXPERTS // 2, take_backup)):
            while finished["experts"] < trigger:
                if any(f.done() and f.exception() for f in futures):
                    break
                time.sleep(0.05)
            errors = {}

            def guarded(action=action, errors=errors):
                try:
                    action()
                except BaseException as exc:
                    errors[action.__name__] = exc

            thread = threading.Thread(target=guarded)
            thread.start()
            side.append((thread, errors))
        for future in futures:
            future.result()
    for thread, errors in side:
        thread.join()
        for exc in errors.values():
            raise exc
    elapsed = time.monotonic() - started

    assert finished["experts"] == EXPERTS and finished["burst"] == BURST
    assert set(tally.statuses) <= {200, 302}, tally.statuses  # no 5xx, no connection error
    acknowledged = sum(1 for e in site.ledger.entries if e.acknowledged)
    print(
        f"\n[{backend}] {EXPERTS} experts + a burst of {BURST} submits: "
        f"{sum(tally.statuses.values())} requests in {elapsed:.1f}s "
        f"({sum(tally.statuses.values()) / elapsed:.0f}/s), median {tally.percentile(0.5):.2f}s, "
        f"p95 {tally.percentile(0.95):.2f}s, slowest {max(tally.times):.2f}s; "
        f"{acknowledged} saves and submits acknowledged\n"
        f"  backup taken after {backup['started'] - started:.1f}s in {backup['took']:.1f}s "
        f"({backup['finished_experts']} experts done): {backup['output']}"
    )

    url, database = _restore(site, backup["file"], tmp_path)
    try:
        held = site.ledger.check(url, site.questionnaire_id, snapshot_of=backup["started"])
    finally:
        if database is not None:
            database.__exit__(None, None, None)
    before = [e for e in site.ledger.entries if e.acknowledged and e.finished < backup["started"]]
    print(
        f"  restored: {held['submissions']} submissions, {held['answers']} answers; "
        f"it holds all {len(before)} saves and submits acknowledged before the backup"
    )
    assert held["submissions"] >= sum(1 for e in before if e.kind == "submit")
