"""Dashboards, exports and the expert's pages as the database grows to 100,000 submissions.

For each size (in increasing order, one database grown by ``survey demo --bulk``):
- the bulk insert itself, timed;
- the dashboard of the pre-meeting questionnaire: the aggregation (``aggregate``) and the
  whole of what the view asks for (``services.dashboards.dashboard``), in this process with
  their SQL statements counted, and the page fetched over HTTP as an admin; with no filter,
  a filter (region=002, Africa), a breakdown (by=region) and both;
- the aggregated CSV export, if the service has one;
- the raw CSV export: ``survey export raw`` in a child process (wall time, peak resident
  memory from its rusage), and the streamed download over HTTP;
- the expert's form page (GET) and page save (POST) one at a time: server time from the
  service's request log.

    python bench/data_bench.py --backend sqlite|postgresql [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import re
import subprocess
import time
from dataclasses import dataclass

from common import (
    BIN,
    QUESTIONNAIRE,
    ROOT,
    Server,
    Site,
    add_admin,
    empty_database,
    hidden,
    load_average,
    median,
    note,
    open_and_invite,
    print_table,
    scratch_folder,
    sign_in,
)
from experts import definition, expert_jobs, run_load

# Dashboard selections: (label, query string).
SELECTIONS = [
    ("all", ""),
    ("region=002", "region=002"),
    ("by=region", "by=region"),
    ("region=002&by=group", "region=002&by=stakeholder_group"),
]
REPEATS = 3
SLOW = 5  # seconds: a run slower than this is not repeated
THRESHOLD = 5  # counts below it are suppressed, as SURVEY_SMALL_CELL_THRESHOLD's default


class QueryCounter:
    """Counts the SQL statements sent through an engine."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1


@dataclass
class Timed:
    ms: float
    queries: int


def timed(counter: QueryCounter, call, repeats: int = REPEATS) -> Timed:
    """The median wall time of ``call`` over up to ``repeats`` runs (one only when a run
    takes longer than SLOW: the 100,000 runs would otherwise take an hour), and its
    statements per run."""
    times, queries = [], []
    for _ in range(repeats):
        if times and times[0] > SLOW * 1000:
            break
        before = counter.count
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
        queries.append(counter.count - before)
    return Timed(median(times), max(queries))


# --- the measurements, one size at a time ------------------------------------------------------


def grow(site: Site, size: int, current: int, step: int) -> list:
    """Add submissions up to ``size`` with ``survey demo --bulk``; a row of the bulk table."""
    added = size - current
    # Each run its own seed: bulk experts' e-mail addresses are made from it and are unique.
    seconds = site.survey(
        "demo",
        "--bulk",
        str(added),
        "--questionnaire",
        QUESTIONNAIRE,
        "--seed",
        str((step + 1) * 10_000_000),
    )
    if site.backend == "postgresql":
        _vacuum_analyze(site)
    return [size, added, seconds, added / seconds, _database_mib(site)]


def _vacuum_analyze(site: Site) -> None:
    """What autovacuum does soon after a bulk of inserts, done now so that every run measures
    the same steady state (plans change with the statistics)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(site.database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _database_mib(site: Site) -> float:
    if site.backend == "sqlite":
        path = site.database_url.removeprefix("sqlite:///")
        return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p)) / 2**20
    from sqlalchemy import create_engine, text

    engine = create_engine(site.database_url)
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
    engine.dispose()
    return size / 2**20


def dashboard_rows(app, counter: QueryCounter, server: Server, admin, size: int) -> list[list]:
    """Aggregation, dashboard data and page, per selection."""
    from flask_babel import get_locale
    from werkzeug.datastructures import MultiDict

    from survey.analysis.aggregates import aggregate
    from survey.analysis.filters import parse_selection
    from survey.db import database
    from survey.services import dashboards

    rows = []
    for label, query in SELECTIONS:
        path = f"/staff/q/{QUESTIONNAIRE}/dashboard" + (f"?{query}" if query else "")
        with app.test_request_context(path), database().read_sessions() as session:
            questionnaire = dashboards.find(session, QUESTIONNAIRE)
            args = MultiDict(dict(p.split("=") for p in query.split("&") if p))
            selection = parse_selection(args)
            shown = dashboards.definition_for(session, questionnaire, None)
            filters, breakdown, lang = selection.filters, selection.breakdown, str(get_locale())

            def counts(q=questionnaire, s=session, d=shown, f=filters, b=breakdown):
                return aggregate(s, q.id, d, f, b)

            def data(q=questionnaire, s=session, sel=selection, lang=lang):
                return dashboards.dashboard(s, q, sel, lang, THRESHOLD)

            agg, whole = timed(counter, counts), timed(counter, data)
        page = http_timed(server, admin, path)
        rows.append(
            [
                size,
                label,
                agg.ms,
                agg.queries,
                whole.ms,
                whole.queries,
                page.client_ms,
                page.server_ms,
                page.kib,
                page.status,
            ]
        )
    return rows


@dataclass
class Fetched:
    client_ms: float
    server_ms: float
    kib: float
    status: int | str


def http_timed(server: Server, client, path: str, repeats: int = REPEATS) -> Fetched:
    """Median client and server time of GET ``path`` (the body counted, not kept)."""
    client_ms, ids, sizes, status = [], [], [], 0
    for _ in range(repeats):
        if client_ms and client_ms[0] > SLOW * 1000:
            break
        received = []
        started = time.perf_counter()
        try:
            reply = client.get(path, stream_to=lambda chunk, r=received: r.append(len(chunk)))
        except (OSError, http.client.HTTPException) as exc:  # gunicorn killed the worker
            note(f"GET {path} broke after {time.perf_counter() - started:.1f} s: {exc!r}")
            client_ms.append((time.perf_counter() - started) * 1000)
            status = f"broken ({type(exc).__name__})"
            continue
        client_ms.append(reply.seconds * 1000)
        ids.append(reply.request_id)
        sizes.append(sum(received))
        status = reply.status
    logged = server.server_times()
    return Fetched(
        median(client_ms),
        median([logged[i] for i in ids if i in logged]),
        max(sizes, default=0) / 1024,
        status,
    )


def aggregated_csv_paths(app) -> list[str]:
    """The aggregated CSV export's URL rule(s), if the service has one by now."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/export/") and "aggregat" in (rule.rule + rule.endpoint)
    ]


def aggregated_csv_rows(app, counter, server, admin, test_admin, size) -> list[list]:
    rows = []
    for rule in aggregated_csv_paths(app):
        base = re.sub(r"<(?:\w+:)?slug>", QUESTIONNAIRE, rule)
        for label, query in SELECTIONS:
            path = base + (f"?{query}" if query else "")
            fetched = http_timed(server, admin, path)
            before = counter.count
            test_admin.get(path).close()
            rows.append(
                [
                    size,
                    base.rsplit("/", 1)[1],
                    label,
                    fetched.client_ms,
                    fetched.server_ms,
                    counter.count - before,
                    fetched.kib,
                    fetched.status,
                ]
            )
    return rows


def raw_csv_row(site: Site, server: Server, admin, size: int) -> list:
    """``survey export raw`` in a child process (time, peak memory) and the HTTP download."""
    out = site.folder / f"raw-{size}-{time.monotonic_ns()}.csv"
    started = time.perf_counter()
    child = subprocess.Popen(
        [str(BIN / "survey"), "export", "raw", QUESTIONNAIRE, "--out", str(out)],
        cwd=ROOT,
        env=site.process_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"survey export raw failed: {child.stderr.read().decode()}")
    child.stderr.close()
    with out.open("rb") as f:
        rows = sum(1 for _ in f) - 1
    mib = out.stat().st_size / 2**20
    out.unlink()
    fetched = http_timed(server, admin, f"/staff/export/{QUESTIONNAIRE}/raw.csv", repeats=1)
    return [
        size,
        rows,
        mib,
        seconds,
        usage.ru_maxrss / 1024,
        fetched.client_ms / 1000,
        fetched.status,
        server.worker_peak_kib() / 1024,
    ]


def expert_page_row(app, server: Server, size: int, experts: int = 6) -> list:
    """Experts answering one at a time (no queueing): p50 of the form page and page save."""
    tokens = open_and_invite(app, experts, f"pages{size}-")
    tally, _wall = run_load(server.base_url, expert_jobs(tokens, definition(app), size), 1, 300)
    return [
        size,
        len(tally.seconds["page GET"]),
        tally.server_p50(server, "page GET"),
        median(tally.seconds["page GET"]) * 1000,
        tally.server_p50(server, "save POST"),
        median(tally.seconds["save POST"]) * 1000,
        tally.server_p50(server, "submit POST"),
        len(tally.errors),
    ]


# --- the run -----------------------------------------------------------------------------------


def run(site: Site, sizes: list[int]) -> None:
    site.prepare()
    password = add_admin(site)
    app = site.app()
    counter = QueryCounter(app.extensions["survey.db"].engine)
    test_admin = app.test_client()
    login = test_admin.get("/staff/login").get_data(as_text=True)
    test_admin.post(
        "/staff/login",
        data={
            "csrf_token": hidden(login, "csrf_token"),
            "email": "bench-admin@bench.example.org",
            "password": password,
        },
    )
    tables: dict[str, list] = {k: [] for k in ("bulk", "dash", "agg", "raw", "pages")}
    loads = []
    current = 0
    for step, size in enumerate(sizes):
        note(f"{site.backend}: growing to {size:,} submissions")
        tables["bulk"].append(grow(site, size, current, step))
        current = size
        loads.append(f"{size:,}: {load_average()}")
        with Server(site) as server:
            admin = sign_in(server.base_url, password)
            note(f"{site.backend}: dashboards at {size:,}")
            tables["dash"] += dashboard_rows(app, counter, server, admin, size)
            tables["agg"] += aggregated_csv_rows(app, counter, server, admin, test_admin, size)
            note(f"{site.backend}: raw CSV at {size:,}")
            tables["raw"].append(raw_csv_row(site, server, admin, size))
            note(f"{site.backend}: expert pages at {size:,}")
            tables["pages"].append(expert_page_row(app, server, size))
            admin.close()
    app.extensions["survey.db"].dispose()
    report(site.backend, tables, loads, aggregated_csv_paths(app))


def growth_rows(tables: dict) -> list[list]:
    """How each cost grows from the smallest size to the largest: the ratio of the costs
    against the ratio of the sizes (equal: linear; 1: flat)."""
    rows = []

    def add(name: str, series: list[tuple[int, float]]) -> None:
        series = [(n, v) for n, v in series if isinstance(v, float | int) and v == v]
        if len(series) < 2:
            return
        (n0, v0), (n1, v1) = series[0], series[-1]
        ratio = v1 / v0 if v0 else float("nan")
        exponent = math.log(ratio) / math.log(n1 / n0) if ratio > 0 else float("nan")
        shape = (
            "flat"
            if exponent < 0.2
            else "sublinear"
            if exponent < 0.8
            else ("linear" if exponent < 1.2 else "worse than linear")
        )
        rows.append([name, f"{n0:,}", v0, f"{n1:,}", v1, f"{ratio:.1f}×", f"{exponent:.2f}", shape])

    dash = [r for r in tables["dash"] if r[1] == "all"]
    add("aggregate ms (all)", [(r[0], r[2]) for r in dash])
    add("dashboard() ms (all)", [(r[0], r[4]) for r in dash])
    add("dashboard page ms (all)", [(r[0], r[6]) for r in dash])
    add("bulk seconds per 1,000", [(r[0], r[2] / r[1] * 1000) for r in tables["bulk"]])
    add("raw CSV export s", [(r[0], r[3]) for r in tables["raw"]])
    add("raw CSV peak RSS MiB", [(r[0], r[4]) for r in tables["raw"]])
    add("expert form GET server p50 ms", [(r[0], r[2]) for r in tables["pages"]])
    add("expert save POST server p50 ms", [(r[0], r[4]) for r in tables["pages"]])
    return rows


def report(backend: str, tables: dict, loads: list[str], agg_rules: list[str]) -> None:
    print_table(
        f"{backend}: databases made with `survey demo --bulk` (the service's cleaning rules)",
        ["submissions", "added", "seconds", "added/s", "database MiB"],
        tables["bulk"],
        [
            f"Load average when each size was reached: {'; '.join(loads)}. PostgreSQL: "
            "VACUUM ANALYZE after each bulk (autovacuum's steady state)."
        ],
    )
    print_table(
        f"{backend}: dashboard of {QUESTIONNAIRE} (median of {REPEATS} runs, 1 when over {SLOW} s)",
        [
            "submissions",
            "selection",
            "aggregate ms",
            "queries",
            "dashboard() ms",
            "queries",
            "page GET ms",
            "page server ms",
            "page KiB",
            "status",
        ],
        tables["dash"],
        [
            "aggregate: survey.analysis.aggregates.aggregate, all charts' counts; dashboard(): "
            "everything the view asks for (aggregate, labels, suppression, chart data); page GET: "
            "the whole page over HTTP as an admin (client time; server time from the request log). "
            "Target at 100,000: under 1 s on PostgreSQL, 2 s on SQLite."
        ],
    )
    if agg_rules:
        print_table(
            f"{backend}: aggregated CSV export (median of {REPEATS} runs, 1 when over {SLOW} s)",
            [
                "submissions",
                "export",
                "selection",
                "GET ms",
                "server ms",
                "queries",
                "KiB",
                "status",
            ],
            tables["agg"],
            ["Target at 100,000: under 2 s."],
        )
    else:
        print(
            f"\n### {backend}: aggregated CSV export\n\nNot measured: the service has no "
            "aggregated CSV route under /staff/export/ at this commit."
        )
    base = tables["raw"][0][4] if tables["raw"] else float("nan")
    print_table(
        f"{backend}: raw CSV export",
        [
            "submissions",
            "rows",
            "MiB",
            "`survey export raw` s",
            "peak RSS MiB",
            "HTTP download s",
            "HTTP status",
            "gunicorn worker peak MiB",
        ],
        tables["raw"],
        [
            "Peak RSS: the child process's ru_maxrss (Python, Flask and SQLAlchemy included); "
            "relative to the smallest size: "
            + ", ".join(f"{r[0]:,}: {r[4] / base:.2f}×" for r in tables["raw"])
            + ". HTTP status 'broken': the download was cut, gunicorn having killed its sync "
            "worker at its default 30 s timeout (the README's production command line). "
            "Target at 100,000: under 10 s, peak within 1.5× of that at 1,000."
        ],
    )
    print_table(
        f"{backend}: the expert's pages, one expert at a time",
        [
            "submissions stored",
            "pages",
            "form GET server p50 ms",
            "form GET client p50 ms",
            "save POST server p50 ms",
            "save POST client p50 ms",
            "submit server p50 ms",
            "errors",
        ],
        tables["pages"],
        ["Target: under 50 ms server time at p50 with 100,000 submissions stored."],
    )
    if len(tables["bulk"]) < 2:
        return  # growth needs two sizes
    print_table(
        f"{backend}: how each cost grows",
        ["cost", "from", "value", "to", "value", "cost ratio", "exponent", "growth"],
        growth_rows(tables),
        ["exponent: log(cost ratio) / log(size ratio); 1 is linear in the submissions, 0 flat."],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s})
    with scratch_folder(args.keep) as folder, empty_database(args.backend, folder) as url:
        run(Site(args.backend, url, folder), sizes)


if __name__ == "__main__":
    main()
