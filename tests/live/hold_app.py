"""gunicorn entry point for the kill tests only: the service's own ``wsgi:app``, unchanged, plus
a way for a test to hold a worker at a chosen moment so that it can be killed exactly there.

A request carrying ``X-Live-Test-Hold`` with

- ``in-transaction``: holds the worker when it is about to mark the invitation as submitted,
  that is inside the submit's transaction, after the submission and its answers were written
  and before the commit;
- ``after-commit``: holds the worker once the request is handled (committed, session closed)
  and before a byte of the answer is sent.

The held worker writes its pid into ``$LIVE_TEST_HOLD_DIR/<moment>-<pid>`` and sleeps until
the test kills it. This module is never loaded by the service; nothing in ``survey/`` knows it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import has_request_context, request
from sqlalchemy import event

from wsgi import app as service

HOLD_DIR = Path(os.environ["LIVE_TEST_HOLD_DIR"])
HEADER = "X-Live-Test-Hold"


def _hold(moment: str) -> None:
    pid = os.getpid()
    (HOLD_DIR / f"{moment}-{pid}").write_text(str(pid))
    time.sleep(300)  # the test kills this worker long before
    raise SystemExit(f"held worker {pid} was not killed")


@event.listens_for(service.extensions["survey.db"].engine, "before_cursor_execute")
def _before_statement(_conn, _cursor, statement, *_args):
    if (
        has_request_context()
        and request.headers.get(HEADER) == "in-transaction"
        and statement.lstrip().upper().startswith("UPDATE INVITATION")
    ):
        _hold("in-transaction")


def app(environ, start_response):
    if environ.get("HTTP_X_LIVE_TEST_HOLD") == "after-commit":
        body = list(service(environ, start_response))  # gunicorn sends nothing before the body
        _hold("after-commit")
        return body
    return service(environ, start_response)
