"""Experts submitting through the real HTML form under gunicorn, against the app's ceiling.

One *expert* is one browser answering the whole pre-meeting questionnaire (see experts.py):
welcome, Start, 11 pages each GET and POST complete, review, Submit, confirmation: 27
requests, alternating GET and POST. A *submission* is an expert who reached the
confirmation without an unexpected status; any other status or a broken flow is an error.

The *ceiling* is the same load (as many browsers, 27 requests each, alternating GET and POST)
on the app's most trivial form (survey/views/benchmark.py: GET a CSRF token; POST it, insert
one row, redirect) under the same gunicorn. The ratio compares requests per second. Each is
run in two halves, in the order ceiling, form, form, ceiling: the speed of a shared machine
drifts, and a steady drift then weighs on both alike.

    python bench/serve_bench.py --backend sqlite|postgresql [--concurrency 8,32]
"""

from __future__ import annotations

import argparse
from collections import Counter

from common import (
    Client,
    Server,
    Site,
    empty_database,
    hidden,
    load_average,
    note,
    open_and_invite,
    percentile,
    print_table,
    scratch_folder,
)
from experts import REQUESTS_PER_EXPERT, Tally, definition, expert_jobs, run_load

WARM_UP = 4  # experts answering before the measurement, so that every worker is warm


def ping_as_much(client: Client, tally: Tally) -> None:
    """The ceiling's browser: as many requests as an expert, GET and POST alternating."""
    page = client.get("/_bench/ping")
    tally.record("ping GET", page, 200)
    for _ in range((REQUESTS_PER_EXPERT - 1) // 2):
        posted = client.post("/_bench/ping", {"csrf_token": hidden(page.text, "csrf_token")})
        tally.record("ping POST", posted, 302)
        page = client.get(posted.location)
        tally.record("ping GET", page, 200)


def cpu_per_request(used: Counter, requests: int) -> str:
    """Milliseconds of CPU per request: the server's + the database's + the client's."""
    if not requests:
        return "-"
    parts = [used[role] * 1000 / requests for role in ("server", "database", "client")]
    return f"{sum(parts):.1f} = {' + '.join(f'{p:.1f}' for p in parts)}"


def ms(seconds: list[float], p: float) -> float:
    return percentile(seconds, p) * 1000


def measure(site: Site, levels: list[int], experts: int, time_limit: float) -> None:
    """Ceiling and form at each concurrency level, on one gunicorn; print both tables."""
    app = site.app()
    questionnaire = definition(app)
    counts = {c: max(experts, 4 * c) for c in levels}
    tokens = open_and_invite(app, WARM_UP + sum(counts.values()), "serve")
    form_rows, ceiling_rows = [], []
    load_before = load_average()
    with Server(site) as server:
        note(f"{site.backend}: warming up both workers")
        run_load(server.base_url, expert_jobs(tokens[:WARM_UP], questionnaire, 1), 2, time_limit)
        run_load(server.base_url, [ping_as_much] * WARM_UP, 2, time_limit)
        used = WARM_UP
        for c in levels:
            n = counts[c]
            jobs = expert_jobs(tokens[used : used + n], questionnaire, c)
            used += n
            # Ceiling, form, form, ceiling, each on half the load: the speed of a shared
            # machine drifts, and a drift during the run then weighs on both alike.
            ceiling, form = Tally(), Tally()
            ceiling_wall = form_wall = 0.0
            cpu = {"ceiling": Counter(), "form": Counter()}
            for half, kind in enumerate(("ceiling", "form", "form", "ceiling")):
                share = n // 2 if half < 2 else n - n // 2
                note(f"{site.backend}: {kind} at concurrency {c} ({share} browsers)")
                before = server.cpu_seconds()
                if kind == "ceiling":
                    part, wall = run_load(server.base_url, [ping_as_much] * share, c, time_limit)
                    ceiling.add(part)
                    ceiling_wall += wall
                else:
                    mine = jobs[: n // 2] if half == 1 else jobs[n // 2 :]
                    part, wall = run_load(server.base_url, mine, c, time_limit)
                    form.add(part)
                    form_wall += wall
                cpu[kind].update(server.cpu_seconds())
                cpu[kind].subtract(before)
            form_rate = form.requests() / form_wall
            ceiling_rate = ceiling.requests() / ceiling_wall
            every = form.all_seconds()
            form_rows.append(
                [
                    c,
                    f"{form.completed}/{n}",
                    form.completed / form_wall,
                    form_rate,
                    ms(every, 50),
                    ms(every, 95),
                    ms(form.seconds["save POST"], 50),
                    ms(form.seconds["save POST"], 95),
                    ms(form.seconds["submit POST"], 50),
                    ms(form.seconds["submit POST"], 95),
                    form.server_p50(server, "page GET"),
                    form.server_p50(server, "save POST"),
                    form.server_p50(server, "submit POST"),
                    cpu_per_request(cpu["form"], form.requests()),
                    len(form.errors),
                ]
            )
            every = ceiling.all_seconds()
            ceiling_rows.append(
                [
                    c,
                    f"{ceiling.completed}/{n}",
                    ceiling_rate,
                    ms(every, 50),
                    ms(every, 95),
                    ceiling.server_p50(server, "ping GET"),
                    ceiling.server_p50(server, "ping POST"),
                    cpu_per_request(cpu["ceiling"], ceiling.requests()),
                    len(ceiling.errors),
                    f"{form_rate / ceiling_rate:.0%}",
                ]
            )
            for label, tally in (("form", form), ("ceiling", ceiling)):
                if tally.errors:
                    note(f"{label} errors at {c}: {sorted(set(tally.errors))[:5]}")
    _delete_ceiling_rows(app)
    load_after = load_average()
    print_table(
        f"{site.backend}: expert submissions through the HTML form (gunicorn, 2 workers)",
        [
            "concurrency",
            "submitted",
            "submissions/s",
            "requests/s",
            "p50 ms",
            "p95 ms",
            "save p50",
            "save p95",
            "submit p50",
            "submit p95",
            "server page GET p50",
            "server save p50",
            "server submit p50",
            "CPU ms/request",
            "errors",
        ],
        form_rows,
        [
            "A submission is 27 requests (welcome, Start, 11 pages GET+POST, review, Submit, "
            "confirmation); p50/p95 client-side over all of them, then of the page saves and the "
            "submits alone; 'server' columns: the service's own request log; CPU ms/request: "
            "the gunicorn's + the PostgreSQL server's + the client's CPU time per request. "
            f"Load average before {load_before}, after {load_after}."
        ],
    )
    print_table(
        f"{site.backend}: ceiling — the same load on a trivial route of the same app "
        "(GET a token; POST: insert one row, redirect)",
        [
            "concurrency",
            "browsers",
            "requests/s",
            "p50 ms",
            "p95 ms",
            "server GET p50",
            "server POST p50",
            "CPU ms/request",
            "errors",
            "form/ceiling",
        ],
        ceiling_rows,
        [
            "form/ceiling: the form's requests per second as a share of the ceiling's "
            "(target at concurrency 8: at least 50 %, with no errors)."
        ],
    )


def _delete_ceiling_rows(app) -> None:
    from sqlalchemy import delete

    from survey.db import database
    from survey.models import Throttle
    from survey.views.benchmark import KEY_PREFIX

    with app.app_context(), database().writing() as session:
        session.execute(delete(Throttle).where(Throttle.key.startswith(KEY_PREFIX)))
    app.extensions["survey.db"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--concurrency", default="8,32", help="comma-separated levels")
    parser.add_argument("--experts", type=int, default=64, help="experts per level (at least)")
    parser.add_argument("--time-limit", type=float, default=240, help="seconds per run")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    with scratch_folder(args.keep) as folder, empty_database(args.backend, folder) as url:
        site = Site(args.backend, url, folder)
        site.prepare()
        measure(site, levels, args.experts, args.time_limit)


if __name__ == "__main__":
    main()
