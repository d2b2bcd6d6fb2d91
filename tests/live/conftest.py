"""A live site per test: a fresh database with the minimal questionnaire open, invitations,
gunicorn of its own, and the ledger check at the end of every test."""

from __future__ import annotations

import http.client
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from survey import create_app, migrate
from survey.db import Database, database
from survey.models import Participant, Questionnaire
from survey.services import links
from tests.databases import postgres_database
from tests.live.harness import (
    MINIMAL,
    Browser,
    Entry,
    Fields,
    Ledger,
    Page,
    PrivateCluster,
    Server,
    csrf_token,
    lock_version,
    random_key,
)
from tests.respondent.conftest import load_questionnaire


@dataclass(frozen=True)
class Invited:
    number: int
    token: str
    participant_id: int


class Site:
    """A database made for one test, served by its own gunicorn."""

    def __init__(self, backend: str, database_url: str, folder: Path, app: str = "wsgi:app"):
        self.backend = backend
        self.database_url = database_url
        self.folder = folder
        questions = folder / "questions"
        questions.mkdir(parents=True)
        # The service refuses to start on an invalid file in its folder: only this one is there.
        shutil.copy(MINIMAL, questions / MINIMAL.name)
        secret, pseudonym = random_key(), random_key()
        engine = Database(database_url)
        migrate.upgrade(engine.engine)
        engine.dispose()
        self.app = create_app(
            {
                "DATABASE_URL": database_url,
                "INSTANCE_PATH": str(folder / "instance"),
                "SECRET_KEY": secret,
                "PSEUDONYM_KEY": pseudonym,
                "QUESTIONS_DIR": str(questions),
            }
        )
        self.questionnaire_id = load_questionnaire(self.app, MINIMAL)
        self.ledger = Ledger()
        self.invited: list[Invited] = []
        self.server = Server(
            folder,
            {
                "SURVEY_DATABASE_URL": database_url,
                "SURVEY_SECRET_KEY": secret,
                "SURVEY_PSEUDONYM_KEY": pseudonym,
                "SURVEY_QUESTIONS_DIR": str(questions),
                "SURVEY_LOG_LEVEL": "WARNING",
            },
            app=app,
        )

    def invite(self, count: int) -> list[Invited]:
        """``count`` new participants with a personal link each, in one transaction."""
        start = len(self.invited)
        with self.app.app_context(), database().writing() as session:
            questionnaire = session.get(Questionnaire, self.questionnaire_id)
            people = [
                Participant(
                    email=f"expert{n}@example.org",
                    name=f"Expert {n}",
                    country_iso3="FRA",
                    organisation="Agence",
                    stakeholder_group="government",
                    language="en",
                )
                for n in range(start, start + count)
            ]
            session.add_all(people)
            session.flush()
            fresh = [
                Invited(n, links.issue_link(session, questionnaire, p), p.id)
                for n, p in zip(range(start, start + count), people, strict=True)
            ]
        self.invited.extend(fresh)
        return fresh

    def expert(self, invited: Invited) -> ExpertBrowser:
        return ExpertBrowser(self, invited)

    def check(self, **kwargs) -> dict[str, int]:
        return self.ledger.check(self.database_url, self.questionnaire_id, **kwargs)

    def close(self) -> None:
        self.server.stop()
        self.app.extensions["survey.db"].dispose()


class ExpertBrowser:
    """One expert on one device, every save and submit written in the site's ledger."""

    def __init__(self, site: Site, invited: Invited):
        self.site = site
        self.invited = invited
        self.browser = Browser(site.server.base_url)
        self.url = f"/r/{invited.token}"

    def get(self, path: str) -> Page:
        return self.browser.get(self.url + path)

    def open(self) -> Page:
        """Open the link and press Start: the first page."""
        welcome = self.get("/")
        assert welcome.status == 200, welcome.status
        started = self.browser.post(self.url + "/start", {"csrf_token": csrf_token(welcome.text)})
        assert started.status == 302, (started.status, started.text[:500])
        page = self.browser.get(started.location)
        assert page.status == 200, page.status
        return page

    def save(self, page: str, fields: Fields, html: str, action: str = "save", **kw) -> Page:
        """Post ``page`` (as shown in ``html``) with ``fields`` and the button ``action``."""
        form = {
            "csrf_token": csrf_token(html),
            "lock_version": str(lock_version(html)),
            "action": action,
            **fields,
        }
        entry = Entry("save", self.invited.token, self.invited.participant_id,
                      lock_version(html), page, fields)  # fmt: skip
        return self._send(entry, f"/p/{page}", form, **kw)

    def submit(self, review_html: str, **kw) -> Page:
        """Press Submit on the review page ``review_html``."""
        form = {"csrf_token": csrf_token(review_html), "lock_version": lock_version(review_html)}
        entry = Entry("submit", self.invited.token, self.invited.participant_id,
                      lock_version(review_html))  # fmt: skip
        return self._send(entry, "/submit", form, **kw)

    def resend(self, entry_kind: str, page: str | None, form: list[tuple[str, str]]) -> Page:
        """Send a form again exactly as a page gave it back (e.g. the 503 page's)."""
        values = dict(form)
        fields: Fields = {}
        for name, value in form:
            if name not in {"csrf_token", "lock_version", "action"}:
                fields.setdefault(name, []).append(value)
        entry = Entry(entry_kind, self.invited.token, self.invited.participant_id,
                      int(values["lock_version"]), page, fields)  # fmt: skip
        path = f"/p/{page}" if entry_kind == "save" else "/submit"
        return self._send(entry, path, form)

    def _send(self, entry: Entry, path: str, form, headers=None) -> Page | None:
        entry.started = time.monotonic()
        try:
            page = self.browser.post(self.url + path, form, headers=headers)
        except (OSError, http.client.HTTPException) as exc:
            entry.error = repr(exc)
            page = None
        else:
            entry.status = page.status
            entry.location = page.location
        finally:
            entry.finished = time.monotonic()
            self.site.ledger.add(entry)
        return page

    def follow(self, page: Page) -> Page:
        assert page.status in (301, 302, 303), (page.status, page.text[:500])
        return self.browser.get(page.location)


GUNICORN_LOG_LINES = 80


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A live test that fails shows the end of each gunicorn's log: what the server said is
    most of what a failure that happens once in many runs leaves to go on."""
    outcome = yield
    report = outcome.get_result()
    folder = item.funcargs.get("tmp_path") if hasattr(item, "funcargs") else None
    if not report.failed or folder is None:
        return
    for log in sorted(Path(folder).glob("site*/gunicorn-*.log")):
        tail = log.read_text(errors="replace").splitlines()[-GUNICORN_LOG_LINES:]
        report.sections.append((f"{log.parent.name} {log.name} (end)", "\n".join(tail)))


@pytest.fixture
def open_site(tmp_path) -> Iterator[Callable[..., Site]]:
    """Make sites: ``open_site("postgresql")``, ``open_site("sqlite")`` or
    ``open_site("postgresql", database_url=...)`` for a database of the test's own cluster.

    At the end: every gunicorn started is stopped (its process group only), then every site's
    ledger is checked against its database.
    """
    with ExitStack() as stack:
        sites: list[Site] = []

        def make(backend: str, database_url: str | None = None, app: str = "wsgi:app") -> Site:
            folder = tmp_path / f"site{len(sites)}"
            if database_url is None:
                if backend == "sqlite":
                    database_url = f"sqlite:///{folder / 'live.db'}"
                    folder.mkdir()
                else:
                    database_url = stack.enter_context(postgres_database())
            site = Site(backend, database_url, folder, app=app)
            stack.callback(site.close)
            sites.append(site)
            return site

        yield make
        for site in sites:
            site.close()
        for site in sites:
            site.check()


@pytest.fixture
def private_cluster() -> Iterator[PrivateCluster]:
    """A PostgreSQL cluster of this test alone (it fails, never skips, if it cannot be made)."""
    cluster = PrivateCluster()
    try:
        yield cluster
    finally:
        cluster.destroy()
