"""A simulated expert: answers the whole pre-meeting questionnaire through the HTML form.

Following every redirect as a browser does: GET the welcome page, POST Start, then for each
of the 11 pages GET it (reading its CSRF token and lock version) and POST it complete with
"Next", GET the review, POST Submit, GET the confirmation: 27 requests.
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from common import QUESTIONNAIRE, Client, Server, hidden, median

REQUESTS_PER_EXPERT = 27


@dataclass
class Tally:
    """Every request of a run: its kind, client time, request id, and what went wrong."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    ids: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    completed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, reply, expected: int) -> None:
        with self.lock:
            self.seconds[kind].append(reply.seconds)
            self.ids[kind].append(reply.request_id)
            if reply.status != expected:
                self.errors.append(f"{kind}: {reply.status}")
        if reply.status != expected:
            raise Broken(f"{kind}: {reply.status}")

    def add(self, other: Tally) -> None:
        """Count another run's requests with these (the halves of one measurement)."""
        for kind, values in other.seconds.items():
            self.seconds[kind].extend(values)
        for kind, values in other.ids.items():
            self.ids[kind].extend(values)
        self.errors.extend(other.errors)
        self.completed += other.completed

    def requests(self) -> int:
        return sum(len(v) for v in self.seconds.values())

    def all_seconds(self) -> list[float]:
        return [s for values in self.seconds.values() for s in values]

    def server_p50(self, server: Server, kind: str) -> float:
        """The median server time (ms) of the requests of ``kind``, from the request log."""
        logged = server.server_times()
        return median([logged[i] for i in self.ids.get(kind, []) if i in logged])


class Broken(Exception):
    """An expert's flow went wrong; counted as an error, the expert stops there."""


def form_fields(definition, rng: random.Random, country: str) -> dict[str, list[tuple]]:
    """A complete questionnaire as a browser posts it: the fields of each page."""
    from survey.demo import raw_answers

    section_of = {q.key: s.key for s in definition.sections for q in s.questions}
    pages: dict[str, list[tuple]] = defaultdict(list)
    for key, raw in raw_answers(definition, rng, country).items():
        for suffix, values in raw.items():
            name = f"{key}.{suffix}" if suffix else key
            pages[section_of[key]].extend((name, v) for v in values)
    return pages


def answer_questionnaire(client: Client, token: str, pages, tally: Tally) -> None:
    """One expert's whole questionnaire, from the welcome page to the confirmation."""
    base = f"/r/{token}"
    welcome = client.get(base + "/")
    tally.record("welcome GET", welcome, 200)
    started = client.post(base + "/start", {"csrf_token": hidden(welcome.text, "csrf_token")})
    tally.record("start POST", started, 302)
    location = started.location
    for _ in range(20):  # 11 pages; a loop that does not end is an error, not a hang
        if not location.startswith(base + "/p/"):
            break
        page = client.get(location)
        tally.record("page GET", page, 200)
        section = location.rsplit("/", 1)[1].split("?")[0]
        form = [
            ("csrf_token", hidden(page.text, "csrf_token")),
            ("lock_version", hidden(page.text, "lock_version")),
            ("action", "next"),
            *pages.get(section, []),
        ]
        saved = client.post(location, form)
        tally.record("save POST", saved, 302)
        location = saved.location
    if not location.startswith(base + "/review"):
        raise Broken(f"the last page led to {location}, not the review")
    review = client.get(location)
    tally.record("review GET", review, 200)
    submitted = client.post(
        base + "/submit",
        {
            "csrf_token": hidden(review.text, "csrf_token"),
            "lock_version": hidden(review.text, "lock_version"),
        },
    )
    tally.record("submit POST", submitted, 302)
    if not submitted.location.startswith(base + "/done"):
        raise Broken(f"submit led to {submitted.location}")
    tally.record("done GET", client.get(submitted.location), 200)


def definition(app):
    """The current definition of the pre-meeting questionnaire."""
    from sqlalchemy import select

    from survey.db import database
    from survey.models import Questionnaire
    from survey.services import answering

    with app.app_context(), database().read_sessions() as session:
        found = session.scalar(select(Questionnaire).where(Questionnaire.slug == QUESTIONNAIRE))
        return answering.definition_of(found)


def expert_jobs(tokens: list[str], definition, seed: int) -> list:
    """One job per token: that expert answers the whole questionnaire (answers from seed)."""
    rng = random.Random(seed)
    countries = ["FRA", "BRA", "KEN", "JPN", "EGY", "CHN", "RUS", "MEX", "IND", "NGA"]
    jobs = []
    for n, token in enumerate(tokens):
        pages = form_fields(definition, rng, countries[n % len(countries)])

        def job(client, tally, token=token, pages=pages):
            answer_questionnaire(client, token, pages, tally)

        jobs.append(job)
    return jobs


def run_load(base_url: str, jobs: list, concurrency: int, time_limit: float) -> tuple[Tally, float]:
    """Run ``jobs`` (each a function of a fresh client and the tally) on ``concurrency``
    threads; return the tally and the wall time. Jobs not started within ``time_limit``
    seconds are dropped (so a slow run is bounded in time as well as in requests)."""
    tally = Tally()
    deadline = time.monotonic() + time_limit

    def one(job) -> None:
        if time.monotonic() > deadline:
            return
        client = Client(base_url)
        try:
            job(client, tally)
        except Broken:
            return
        except Exception as exc:  # a refused connection or a page without its form
            with tally.lock:
                tally.errors.append(f"{type(exc).__name__}: {exc}")
            return
        finally:
            client.close()
        with tally.lock:
            tally.completed += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, jobs))
    return tally, time.perf_counter() - started
