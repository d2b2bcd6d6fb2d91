"""The live battery's tools: a gunicorn of its own, a private PostgreSQL cluster, a small
browser, and the ledger of every save and submit with the check that the database holds
exactly what was acknowledged.
"""

from __future__ import annotations

import contextlib
import glob
import html
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import create_engine, select

from survey.models import Answer, Response, Submission

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "data" / "valid" / "minimal.yaml"
HTTP_TIMEOUT = 90  # seconds: a request queued behind a burst must still get its answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- processes ------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    """The pids of the direct children of ``pid`` (read from /proc)."""
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its ')'.
        fields = text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(stat.split("/")[2]))
    return found


def pid_owning_local_port(pids: list[int], port: int) -> int | None:
    """Which of ``pids`` holds the TCP socket whose local port is ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            if int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(parts[9])
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:[") and target[8:-1] in inodes:
                return pid
    return None


class Server:
    """A gunicorn with 2 workers on a free loopback port, in a process group of its own."""

    def __init__(self, folder: Path, env: dict[str, str], app: str = "wsgi:app", workers: int = 2):
        self.folder = folder
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.app = app
        self.workers = workers
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SURVEY_")}
        self.env.update(env)
        self.env["SURVEY_BASE_URL"] = self.base_url
        self.log_path = folder / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            self.app,
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a whole, alone
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited at start-up:\n{self.log_tail()}")
            try:
                healthy = Browser(self.base_url, timeout=5).get("/healthz").status == 200
                if healthy and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer /healthz in {timeout}s:\n{self.log_tail()}")

    @property
    def master_pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        return children(self.master_pid)

    def stop(self) -> None:
        """Stop the process group this server started (never anything else)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)
            except ProcessLookupError:
                self.process.wait(timeout=15)
        # Workers outlive a master killed hard; the group takes them too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


class PrivateCluster:
    """A PostgreSQL cluster of this test alone, on its own port: it may be stopped and restarted
    without touching the shared server (see /work/shared/recipes/postgresql.md)."""

    def __init__(self):
        bins = sorted(
            glob.glob("/usr/lib/postgresql/*/bin"),
            key=lambda p: [int(x) for x in re.findall(r"\d+", p)],
        )
        bindir = next((b for b in reversed(bins) if Path(b, "initdb").exists()), None)
        if bindir is None and shutil.which("initdb"):
            bindir = str(Path(shutil.which("initdb")).parent)
        if bindir is None:
            pytest.fail(
                "cannot make a private PostgreSQL cluster: initdb is not in "
                "/usr/lib/postgresql/*/bin nor on PATH (apt-get install postgresql)",
                pytrace=False,
            )
        self.bindir = Path(bindir)
        self.root = Path(tempfile.mkdtemp(prefix="survey-live-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:  # initdb refuses to run as root
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        self.start()

    def _run(self, program: str, *args, timeout: float = 60) -> None:
        command = [str(self.bindir / program), *map(str, args)]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            pytest.fail(
                f"private PostgreSQL cluster: {program} failed: {result.stderr}\n{log}",
                pytrace=False,
            )

    def _ctl(self, *args) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.root / "log", "-w", "-o", options, *args)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._ctl("start")

    def restart_fast(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop_immediate(self) -> None:
        self._ctl("stop", "-m", "immediate")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)


# --- the browser ----------------------------------------------------------------------------


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        """The path a redirect points to."""
        parts = urlsplit(self.headers.get("location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def csrf_token(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def lock_version(page_html: str) -> int:
    return int(re.search(r'name="lock_version" value="(-?\d+)"', page_html).group(1))


def hidden_fields(page_html: str) -> list[tuple[str, str]]:
    return [(n, html.unescape(v)) for n, v in _HIDDEN.findall(page_html)]


class Browser:
    """One device: a cookie jar and one connection per request (as gunicorn's sync workers)."""

    def __init__(self, base_url: str, timeout: float = HTTP_TIMEOUT):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form=None, headers=None) -> Page:
        body = None
        sent = {"Connection": "close", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body, sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in cookie.lower() or "expires=thu, 01 jan 1970" in cookie.lower():
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
            headers = {k.lower(): v for k, v in response.getheaders()}
            return Page(response.status, headers, text)
        finally:
            conn.close()

    def get(self, path: str, **kw) -> Page:
        return self.request("GET", path, **kw)

    def post(self, path: str, form, **kw) -> Page:
        return self.request("POST", path, form=form, **kw)


# --- answers: what is posted, and what the database must then hold -----------------------------

PAGE_QUESTIONS = {
    "framework": [
        "country",
        "specific_offence",
        "offence_year",
        "lead_agency",
        "agencies_involved",
        "customs_cases",
    ],
    "evaluation": ["useful", "topics", "priorities", "main_obstacle", "comments"],
}
COUNTRIES = ["FRA", "DEU", "BRA", "KEN", "JPN", "EGY", "CHN", "RUS", "MEX", "IND", "NGA"]
AGENCIES = ["police", "customs", "regulator"]
Fields = dict[str, list[str]]


def framework_answers(i: int, round_: int = 0) -> Fields:
    """A full framework page, different for each ``i`` (and each round of the same expert)."""
    n = i * 7 + round_
    specific = ["yes", "yes", "no", "dont_know"][n % 4]
    lead = AGENCIES[n % 3] if n % 5 else "other"
    involved = [["police"], ["customs"], ["police", "customs"], ["dont_know"]][n % 4]
    return {
        "country": [COUNTRIES[n % len(COUNTRIES)]],
        "specific_offence": [specific],
        # Sent even when hidden: the draft keeps it, the submission must not.
        "offence_year": [f"{1990 + n % 23:04d}-{1 + n % 12:02d}-{1 + n % 28:02d}"],
        "lead_agency": [lead],
        "lead_agency.other": [f"Ministère n°{n} — الصحة"] if lead == "other" else [],
        "agencies_involved": involved,
        "customs_cases": [str(n * 3)],
    }


def evaluation_answers(i: int, round_: int = 0) -> Fields:
    """A full evaluation page, different for each ``i``: its comment names ``i``."""
    n = i * 5 + round_
    first, second = [("customs", "regulator"), ("police", "customs"), ("regulator", "police")][
        n % 3
    ]
    return {
        "useful": [str(1 + n % 4)],
        "topics.ports": [str(1 + (n + 1) % 4)],
        "topics.internet": [str(1 + (n + 2) % 4)],
        f"priorities.{first}": ["1"],
        f"priorities.{second}": ["2"],
        "main_obstacle": [f"Obstacle {i}/{round_}: données"],
        "comments": [f"Answers of expert {i}, round {round_}.\n\nDeuxième paragraphe — 第{i}段."],
    }


def raw_of(page: str, fields: Fields) -> dict[str, dict[str, list[str]]]:
    """What a save of ``page`` posting ``fields`` stores in the draft: every question of the
    page, as typed (an absent one as empty)."""
    raw: dict[str, dict[str, list[str]]] = {key: {} for key in PAGE_QUESTIONS[page]}
    for name, values in fields.items():
        key, _, suffix = name.partition(".")
        kept = [v for v in values if v != ""]
        if key in raw and kept:
            raw[key][suffix] = kept
    return raw


Cell = tuple[str, str, str | None, Decimal | None, str | None]


def expected_cells(draft: dict) -> set[Cell]:
    """The answer rows a submission of ``draft`` must have: the cleaning rules of the
    questions in tests/data/valid/minimal.yaml, written out independently of the service."""

    def one(key: str, suffix: str = "") -> str:
        return ((draft.get(key) or {}).get(suffix) or [""])[0].strip()

    cells: set[Cell] = set()
    if one("country"):
        cells.add(("country", "", one("country"), None, None))
    specific = one("specific_offence")
    if specific:
        cells.add(("specific_offence", "", specific, None, None))
    if specific == "yes" and one("offence_year"):
        cells.add(("offence_year", "", None, None, one("offence_year")))
    lead = one("lead_agency")
    if lead:
        other = one("lead_agency", "other") if lead == "other" else None
        cells.add(("lead_agency", "", lead, None, other))
    involved = (draft.get("agencies_involved") or {}).get("", [])
    for code in involved:
        cells.add(("agencies_involved", "", code, None, None))
    if "customs" in involved and one("customs_cases"):
        cells.add(("customs_cases", "", None, Decimal(one("customs_cases")), None))
    useful = one("useful")
    if useful:
        number = None if useful == "dont_know" else Decimal(useful)
        cells.add(("useful", "", useful, number, None))
    for statement, values in (draft.get("topics") or {}).items():
        cells.add(("topics", statement, values[0], Decimal(values[0]), None))
    for code, values in (draft.get("priorities") or {}).items():
        cells.add(("priorities", code, None, Decimal(values[0]), None))
    if useful in {"1", "2"} and one("main_obstacle"):
        cells.add(("main_obstacle", "", None, None, one("main_obstacle")))
    if one("comments"):
        cells.add(("comments", "", None, None, one("comments")))
    return cells


# --- the ledger -----------------------------------------------------------------------------


@dataclass
class Entry:
    """One save or submit as the expert's browser saw it."""

    kind: str  # "save" or "submit"
    token: str
    participant_id: int
    lock_version: int
    page: str | None = None
    fields: Fields = field(default_factory=dict)
    status: int | None = None  # None: no answer at all (connection dropped, worker killed)
    location: str = ""
    error: str = ""
    started: float = 0.0
    finished: float = 0.0

    @property
    def acknowledged(self) -> bool:
        return self.status is not None and 200 <= self.status < 400

    @property
    def unknown(self) -> bool:
        """The outcome is unknown to the expert: it may have been stored, or not."""
        return self.status is None or self.status >= 500

    @property
    def repeated(self) -> bool:
        return "repeated=1" in self.location


class Ledger:
    """Every save and submit made during a test, with what the service answered."""

    def __init__(self):
        self.entries: list[Entry] = []
        self._lock = threading.Lock()

    def add(self, entry: Entry) -> Entry:
        with self._lock:
            self.entries.append(entry)
        return entry

    def statuses(self) -> dict[int | None, int]:
        counted: dict[int | None, int] = defaultdict(int)
        for e in self.entries:
            counted[e.status] += 1
        return dict(counted)

    def check(
        self,
        database_url: str,
        questionnaire_id: int,
        *,
        snapshot_of: float | None = None,
    ) -> dict[str, int]:
        """Raise AssertionError unless the database holds exactly what was acknowledged.

        With ``snapshot_of`` (a time.monotonic() value) the database is a backup started at
        that moment: it must be one consistent state of the ledger's history that holds
        everything acknowledged before that moment.
        """
        engine = create_engine(database_url)
        try:
            with engine.connect() as conn:
                return _check(conn, self.entries, questionnaire_id, snapshot_of)
        finally:
            engine.dispose()


def _check(conn, entries: list[Entry], questionnaire_id: int, snapshot_of: float | None):
    by_participant: dict[int, list[Entry]] = defaultdict(list)
    for e in entries:
        by_participant[e.participant_id].append(e)
    checked_answers = 0
    checked_submissions = 0
    responses = {
        r.participant_id: r
        for r in conn.execute(
            select(Response).where(Response.questionnaire_id == questionnaire_id)
        ).all()
    }
    for participant_id, mine in by_participant.items():
        where = f"participant {participant_id}"
        response = responses.get(participant_id)
        acked = [e for e in mine if e.acknowledged]
        if snapshot_of is not None:
            before = [e for e in acked if e.finished < snapshot_of]
            if response is None:
                assert not before, f"{where}: acknowledged before the backup, not in it"
                continue
        if response is None:
            assert not acked, f"{where}: acknowledged answers but no response row"
            continue
        # Each acknowledged save or new submission moved lock_version from L to L+1.
        changes = [e for e in acked if e.kind == "save" or not e.repeated]
        locks = [e.lock_version for e in changes]
        assert len(set(locks)) == len(locks), f"{where}: two acknowledged changes from one lock"
        top = max(locks) + 1 if locks else 0
        unknown = [e for e in mine if e.unknown]
        if snapshot_of is not None:
            needed = max((e.lock_version + 1 for e in before if e in changes), default=0)
            assert response.lock_version >= needed, (
                f"{where}: the backup is at lock version {response.lock_version}, but a change "
                f"acknowledged before it started made {needed}"
            )
            if not unknown:
                assert response.lock_version <= top, f"{where}: a change nobody was told of"
        elif unknown:
            assert response.lock_version >= top, f"{where}: an acknowledged change is missing"
        else:
            assert response.lock_version == top, (
                f"{where}: lock version {response.lock_version}, the acknowledged changes "
                f"make {top}: something not acknowledged was stored, or something was lost"
            )
        saves = sorted((e for e in acked if e.kind == "save"), key=lambda e: e.lock_version)

        def draft_at(lock: int, saves=saves) -> dict:
            draft: dict = {}
            for s in saves:
                if s.lock_version < lock:
                    draft.update(raw_of(s.page, s.fields))
            return draft

        assert response.draft == draft_at(response.lock_version), (
            f"{where}: the draft is not the acknowledged saves\n"
            f"  stored:   {response.draft}\n  expected: {draft_at(response.lock_version)}"
        )
        submissions = conn.execute(
            select(Submission)
            .where(Submission.response_id == response.id)
            .order_by(Submission.number)
        ).all()
        numbers = [s.number for s in submissions]
        assert numbers == list(range(1, len(numbers) + 1)), f"{where}: numbers {numbers}"
        bases = [s.base_lock_version for s in submissions]
        assert bases == sorted(set(bases)), f"{where}: submissions' lock versions {bases}"
        current = submissions[-1].id if submissions else None
        assert response.current_submission_id == current, f"{where}: not the latest is current"
        assert response.status == ("submitted" if submissions else "draft"), where
        asked = {
            e.lock_version for e in mine if e.kind == "submit" and (e.acknowledged or e.unknown)
        }
        for submission in submissions:
            assert submission.base_lock_version in asked, (
                f"{where}: submission {submission.number} (from lock version "
                f"{submission.base_lock_version}) was refused or never asked for"
            )
            stored = {
                (a.question_key, a.item, a.code, a.number, a.text)
                for a in conn.execute(
                    select(Answer).where(Answer.submission_id == submission.id)
                ).all()
            }
            expected = expected_cells(draft_at(submission.base_lock_version))
            assert stored == expected, (
                f"{where}: submission {submission.number} does not hold the answers acknowledged"
                f"\n  missing:    {sorted(expected - stored, key=str)}"
                f"\n  unexpected: {sorted(stored - expected, key=str)}"
            )
            checked_answers += len(stored)
        checked_submissions += len(submissions)
        for e in acked:
            if e.kind != "submit":
                continue
            if snapshot_of is not None and e.lock_version >= response.lock_version:
                assert e.finished >= snapshot_of, f"{where}: a submit before the backup is missing"
                continue
            assert e.lock_version in bases, f"{where}: acknowledged submit is not stored"
    # No answer row outside the submissions checked above (nothing half-written elsewhere).
    total = conn.execute(
        select(Answer.id)
        .join(Submission, Submission.id == Answer.submission_id)
        .join(Response, Response.id == Submission.response_id)
        .where(Response.questionnaire_id == questionnaire_id)
    ).all()
    assert len(total) == checked_answers, "answer rows belong to no acknowledged submission"
    return {"responses": len(by_participant), "submissions": checked_submissions,
            "answers": checked_answers}  # fmt: skip


def random_key() -> str:
    return secrets.token_urlsafe(32)
