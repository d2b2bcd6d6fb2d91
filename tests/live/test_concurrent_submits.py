"""Twenty devices submitting one personal link at the same moment, against gunicorn.

"Different answers": every device posts its own answers to the questionnaire's last page
(useful, topics, priorities, obstacle, and a comment naming the device) with "Review and
submit", follows the redirect to the review page and presses Submit there — but only when the
review page is the state its own save made (its lock version is the one after the save): a
review page showing another device's save would submit that device's answers. A device whose
save or submit is refused as a conflict (409) saves its answers again from the page it got
back, as the page tells the expert to, until its own answers are submitted. The first page is
filled once before, identically for all.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, select

from survey.models import Answer, Response, Submission
from tests.live.harness import (
    evaluation_answers,
    expected_cells,
    framework_answers,
    lock_version,
    raw_of,
)

pytestmark = pytest.mark.live

DEVICES = 20
ATTEMPTS = 100


def _prepare(site):
    site.server.start()
    [invited] = site.invite(1)
    first = site.expert(invited)
    page = first.open()
    saved = first.save("framework", framework_answers(0), page.text, action="next")
    assert saved.status == 302
    return invited


def _current_cells(site):
    engine = create_engine(site.database_url)
    try:
        with engine.connect() as conn:
            response = conn.execute(select(Response)).one()
            submissions = conn.execute(select(Submission)).all()
            cells = {
                (a.question_key, a.item, a.code, a.number, a.text)
                for a in conn.execute(
                    select(Answer).where(Answer.submission_id == response.current_submission_id)
                ).all()
            }
            return response, submissions, cells
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_twenty_devices_submitting_their_own_answers_leave_one_current_submission(
    open_site, backend
):
    site = open_site(backend)
    invited = _prepare(site)
    barrier = threading.Barrier(DEVICES)
    submitted_by: list[int] = []

    def device(i: int) -> None:
        me = site.expert(invited)
        html = me.get("/p/evaluation").text
        barrier.wait()
        for attempt in range(ATTEMPTS):
            saved = me.save("evaluation", evaluation_answers(i), html, action="review")
            assert saved is not None, "no answer to a save"
            if saved.status == 409:  # changed on another device: save again from this page
                html = saved.text
                time.sleep(random.uniform(0, 0.02 * attempt))  # as people do, not in lockstep
                continue
            assert saved.status == 302, (saved.status, saved.text[:300])
            mine = lock_version(html) + 1
            review = me.follow(saved)
            assert review.status == 200
            if lock_version(review.text) == mine:
                done = me.submit(review.text)
                assert done is not None, "no answer to a submit"
                if done.status == 302:
                    submitted_by.append(i)
                    return
                assert done.status == 409, (done.status, done.text[:300])
            html = me.get("/p/evaluation").text  # someone else saved: mine again
            time.sleep(random.uniform(0, 0.02 * attempt))
        raise AssertionError(f"device {i}: its answers were never submitted in {ATTEMPTS} tries")

    started = time.monotonic()
    with ThreadPoolExecutor(DEVICES) as pool:
        for future in [pool.submit(device, i) for i in range(DEVICES)]:
            future.result()
    elapsed = time.monotonic() - started

    statuses = site.ledger.statuses()
    assert not [s for s in statuses if s is None or s >= 500], statuses
    assert sorted(submitted_by) == list(range(DEVICES))
    response, submissions, cells = _current_cells(site)
    # One current submission (the latest), and its answers are one device's, whole.
    assert response.current_submission_id == max(submissions, key=lambda s: s.number).id
    framework = raw_of("framework", framework_answers(0))
    matching = [
        i
        for i in range(DEVICES)
        if cells == expected_cells({**framework, **raw_of("evaluation", evaluation_answers(i))})
    ]
    assert len(matching) == 1, f"the current submission mixes devices' answers: {cells}"
    print(
        f"\n[{backend}] {DEVICES} devices: {len(submissions)} submissions in {elapsed:.1f}s, "
        f"statuses {statuses}; current from device {matching[0]}"
    )


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_twenty_simultaneous_submits_of_one_review_page_make_one_submission(open_site, backend):
    site = open_site(backend)
    invited = _prepare(site)
    setup = site.expert(invited)
    html = setup.get("/p/evaluation").text
    saved = setup.save("evaluation", evaluation_answers(1), html, action="review")
    assert saved.status == 302
    barrier = threading.Barrier(DEVICES)

    def device(_i: int):
        me = site.expert(invited)
        review = me.get("/review").text
        barrier.wait()
        return me.submit(review)

    with ThreadPoolExecutor(DEVICES) as pool:
        pages = list(pool.map(device, range(DEVICES)))
    assert all(p is not None and p.status == 302 for p in pages), [p and p.status for p in pages]
    new = [p for p in pages if "repeated=1" not in p.location]
    assert len(new) == 1, [p.location for p in pages]
    _response, submissions, _cells = _current_cells(site)
    assert len(submissions) == 1
