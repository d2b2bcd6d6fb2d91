"""What every benchmark script shares: databases, the gunicorn, an HTTP client, tables.

Benchmarks are scripts, not tests: each prints a table. Everything they start (gunicorn,
databases, temporary folders) they stop or remove, and every request goes to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUESTIONNAIRE = "tfm-pre"
WORKERS = 2  # the machine has 2 cores
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


# --- the machine -------------------------------------------------------------------------------


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def note(message: str) -> None:
    """Progress on stderr, so that stdout holds only the tables."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- numbers and tables ------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation; NaN when there is nothing."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def print_table(title: str, headers: list[str], rows: list[list], notes: list[str] = ()) -> None:
    """A Markdown table (pastes into an issue as it is), with its title and notes."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    print(f"\n### {title}\n", flush=True)
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for raw, row in zip(rows, cells, strict=True):
        justified = [
            c.rjust(w) if isinstance(v, int | float) else c.ljust(w)  # numbers to the right
            for v, c, w in zip(raw, row, widths, strict=True)
        ]
        print("| " + " | ".join(justified) + " |")
    for line in notes:
        print(f"\n{line}")
    sys.stdout.flush()


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


# --- databases ---------------------------------------------------------------------------------


def postgres_admin_url() -> tuple[str | None, str]:
    """The URL of a PostgreSQL server where the bench may create databases, and why not."""
    url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_POSTGRES_URL")
    url = url or DEFAULT_POSTGRES
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    where = make_url(url).render_as_string(hide_password=True)
    try:
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return None, f"PostgreSQL at {where} does not answer: {reason}"
    return url, where


@contextlib.contextmanager
def empty_database(backend: str, folder: Path) -> Iterator[str]:
    """A new, empty database of ``backend``: a SQLite file, or a PostgreSQL database made
    for this run and dropped afterwards (as tests/databases.py does)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'bench-{secrets.token_hex(4)}.db'}"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url, reason = postgres_admin_url()
    if admin_url is None:
        raise SystemExit(reason)
    name = f"survey_bench_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def scratch_folder(keep: bool = False) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="survey-bench-"))
    try:
        yield folder
    finally:
        if keep:
            note(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Site:
    """A database with the pre-meeting questionnaire loaded, and the settings to serve it."""

    backend: str
    database_url: str
    folder: Path
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = {
            "SURVEY_DATABASE_URL": self.database_url,
            "SURVEY_SECRET_KEY": secrets.token_urlsafe(32),
            "SURVEY_PSEUDONYM_KEY": secrets.token_urlsafe(32),
            "SURVEY_LOG_LEVEL": "INFO",  # the request log gives each request's server time
            "SURVEY_BENCHMARK_ROUTES": "1",
        }

    def process_env(self) -> dict[str, str]:
        """This process's environment with the site's settings and no other SURVEY_ ones."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("SURVEY_")}
        return {**env, **self.env}

    def survey(self, *args: str, stdin: str | None = None) -> float:
        """Run the ``survey`` command; return its wall time in seconds."""
        started = time.perf_counter()
        result = subprocess.run(
            [str(BIN / "survey"), *args],
            cwd=ROOT,
            env=self.process_env(),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"survey {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return time.perf_counter() - started

    def prepare(self) -> None:
        """Bring the schema to the latest and load the pre-meeting questionnaire."""
        self.survey("db", "upgrade")
        self.survey("questionnaires", "load", str(ROOT / "questions" / f"{QUESTIONNAIRE}.yaml"))

    def app(self):
        """The Flask app on this site's database, in this process."""
        with _environment(self.env):
            from survey import create_app

            # Quiet in this process: the request log matters only in the gunicorn's.
            return create_app(
                {"INSTANCE_PATH": str(self.folder / "instance"), "LOG_LEVEL": "WARNING"}
            )


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: v for k, v in os.environ.items() if k.startswith("SURVEY_")}
    for k in saved:
        del os.environ[k]
    os.environ.update(values)
    try:
        yield
    finally:
        for k in values:
            os.environ.pop(k, None)
        os.environ.update(saved)


def open_and_invite(app, count: int, email_prefix: str) -> list[str]:
    """Open the questionnaire from yesterday for a month; invite ``count`` new experts, each
    with a personal link (tokens returned), in one transaction."""
    from datetime import timedelta

    from sqlalchemy import select

    from survey.countries import all_countries
    from survey.db import database
    from survey.models import Participant, Questionnaire
    from survey.models.columns import utcnow
    from survey.services import links

    pool = [c.iso3 for c in all_countries() if c.independent]
    with app.app_context(), database().writing() as session:
        questionnaire = session.scalar(
            select(Questionnaire).where(Questionnaire.slug == QUESTIONNAIRE)
        )
        questionnaire.opens_at = utcnow() - timedelta(days=1)
        questionnaire.closes_at = utcnow() + timedelta(days=30)
        people = [
            Participant(
                email=f"{email_prefix}{n}@bench.example.org",
                name=f"Bench expert {n}",
                country_iso3=pool[n % len(pool)],
                organisation="Bench",
                stakeholder_group="government",
                language="en",
            )
            for n in range(count)
        ]
        session.add_all(people)
        session.flush()
        return [links.issue_link(session, questionnaire, p) for p in people]


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The real service under gunicorn (2 sync workers) on a free loopback port, in a process
    group of its own so that stopping it stops exactly what it started. As the README's
    production command line, with gunicorn's default 30 s worker timeout: a request that takes
    longer is killed, and the bench shows it as an error."""

    def __init__(self, site: Site):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {**site.process_env(), "SURVEY_BASE_URL": self.base_url}
        self.log_path = site.folder / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self, timeout: float = 60) -> None:
        command = [
            str(BIN / "python"),
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "5",
            "wsgi:app",
        ]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start-up:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                if Client(self.base_url).get("/healthz").status == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise SystemExit(f"gunicorn did not answer /healthz in {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the process group this server started (never anything else)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):  # workers outliving their master
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def server_times(self) -> dict[str, float]:
        """Milliseconds spent in the app per request id, from the service's request log."""
        found = {}
        for line in self.log_path.read_text(errors="replace").splitlines():
            if match := _REQUEST_LINE.search(line):
                found[match["id"]] = float(match["ms"])
        return found

    def worker_peak_kib(self) -> int:
        """The highest peak resident memory (VmHWM) of the workers so far, in KiB."""
        peak = 0
        assert self.process is not None
        for pid in _children(self.process.pid):
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status)[1]))
        return peak

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far (user + system, seconds) by the gunicorn's processes, by the
        PostgreSQL server's processes (none on SQLite) and by this process, the client."""
        assert self.process is not None
        server = [self.process.pid, *_children(self.process.pid)]
        database = [pid for pid in _all_pids() if _command(pid) == "postgres"]
        own = os.times()
        return {
            "server": sum(_cpu_of(pid) for pid in server),
            "database": sum(_cpu_of(pid) for pid in database),
            "client": own.user + own.system,
        }


def _all_pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _command(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/comm").read_text().strip()
    return ""


def _cpu_of(pid: int) -> float:
    """A process's CPU seconds (user + system) from /proc; 0 for one that has gone."""
    with contextlib.suppress(OSError, ValueError):
        text = Path(f"/proc/{pid}/stat").read_text()
        fields = text[text.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


_REQUEST_LINE = re.compile(r"\[(?P<id>[0-9a-f]+)\] survey\.request: \S+ \S+ \d+ (?P<ms>[\d.]+)ms")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):
            text = stat.read_text()
            if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


# --- the client --------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        """The path (and query) a redirect points to."""
        parts = urlsplit(self.headers.get("location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def request_id(self) -> str:
        return self.headers.get("x-request-id", "")


class Client:
    """One browser: a cookie jar and one connection, kept alive when the server lets it
    (gunicorn's sync workers close every connection; http.client then opens a new one)."""

    def __init__(self, base_url: str, timeout: float = 120):
        parts = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form=None, stream_to=None) -> Reply:
        """Send one request (redirects are not followed); ``stream_to`` takes the body in
        chunks instead of keeping it."""
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
            if stream_to is None:
                data = response.read()
            else:
                while chunk := response.read(1 << 16):
                    stream_to(chunk)
                data = b""
        except (OSError, http.client.HTTPException):
            self.conn.close()  # a broken connection is not reused
            raise
        seconds = time.perf_counter() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return Reply(
            response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds
        )

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, form) -> Reply:
        return self.request("POST", path, form=form)

    def close(self) -> None:
        self.conn.close()


def hidden(html: str, name: str) -> str:
    """The value of the first hidden field called ``name``."""
    match = re.search(rf'name="{re.escape(name)}"[^>]*? value="([^"]*)"', html)
    if match is None:
        raise ValueError(f"no field {name} in the page")
    return unescape(match[1])


ADMIN_EMAIL = "bench-admin@bench.example.org"


def add_admin(site: Site) -> str:
    """An admin account for the bench (``survey organiser add``); return its password."""
    password = secrets.token_urlsafe(24)
    site.survey(
        "organiser",
        "add",
        ADMIN_EMAIL,
        "--role",
        "admin",
        "--password-stdin",
        stdin=password + "\n",
    )
    return password


def sign_in(base_url: str, password: str) -> Client:
    """A client signed in as the bench's admin."""
    client = Client(base_url)
    page = client.get("/staff/login")
    reply = client.post(
        "/staff/login",
        {"csrf_token": hidden(page.text, "csrf_token"), "email": ADMIN_EMAIL, "password": password},
    )
    if reply.status != 302:
        raise SystemExit(f"the bench's admin could not sign in ({reply.status})")
    return client


if __name__ == "__main__":  # bench/run asks: may PostgreSQL be measured?
    if sys.argv[1:] == ["postgres-check"]:
        found, why = postgres_admin_url()
        print(why)
        sys.exit(0 if found else 1)
