"""PostgreSQL restarted, then down, under a running service (a private cluster of this test:
the shared server is never touched).

- After ``pg_ctl restart -m fast`` every pooled connection of both workers is dead; the next
  requests must succeed all the same (pool pre-ping), the very first one a save.
- While the database is down (``pg_ctl stop -m immediate``), a save answers 503 with the
  expert's typed answers on the page, in a form that sends them again; health says 503.
- Once it is back, that form saves them; nothing saved before was lost.

SQLite has no server to restart: this test is PostgreSQL's alone.
"""

from __future__ import annotations

import html
import time

import pytest

from tests.live.harness import (
    Browser,
    evaluation_answers,
    framework_answers,
    hidden_fields,
    lock_version,
)

pytestmark = pytest.mark.live


def test_postgresql_restarted_and_down_under_the_service(private_cluster, open_site):
    # (private_cluster first: it must outlive the site, whose ledger is checked at its end)
    site = open_site("postgresql", database_url=private_cluster.url())
    site.server.start()
    [invited] = site.invite(1)
    me = site.expert(invited)
    page = me.open()
    saved = me.save("framework", framework_answers(1), page.text, action="next")
    evaluation = me.follow(saved)
    for _ in range(8):  # both workers now hold pooled connections
        assert me.get("/p/evaluation").status == 200

    restarted = time.monotonic()
    private_cluster.restart_fast()
    restart_took = time.monotonic() - restarted
    first = me.save("evaluation", evaluation_answers(1), evaluation.text, action="save")
    assert first is not None and first.status == 302, first and (first.status, first.text[:300])
    for _ in range(8):  # and every later request, on either worker
        assert me.get("/p/evaluation").status == 200
        assert Browser(site.server.base_url).get("/healthz").status == 200

    page = me.get("/p/evaluation")
    private_cluster.stop_immediate()
    assert Browser(site.server.base_url).get("/healthz").status == 503
    typed = evaluation_answers(2)
    down = me.save("evaluation", typed, page.text, action="save")
    assert down is not None and down.status == 503, down and down.status
    assert "could not be saved" in down.text
    assert "Nothing you saved before is lost" in down.text
    echoed = hidden_fields(down.text)
    for name, values in typed.items():
        for value in values:
            assert (name, value) in echoed, f"{name}={value!r} is not sent again by the page"
            for line in filter(None, value.split("\n")):
                assert html.escape(line, quote=False) in down.text, f"{line!r} is not shown"
    assert ("lock_version", str(lock_version(page.text))) in echoed
    assert f"<code>{down.headers['x-request-id']}</code>" in down.text  # a reference to quote

    review = me.get("/review")
    assert review.status == 503  # reading needs the database too: a clear 503, not a 500

    private_cluster.start()
    again = me.resend("save", "evaluation", echoed)  # the 503 page's "Save again"
    assert again is not None and again.status == 302, again and (again.status, again.text[:300])
    shown = me.follow(again).text
    assert html.escape(typed["main_obstacle"][0], quote=False) in shown
    review = me.get("/review")
    done = me.submit(review.text)
    assert done.status == 302 and done.location.endswith("/done")
    print(f"\n[postgresql] restart -m fast took {restart_took:.1f}s; no request failed after it")
