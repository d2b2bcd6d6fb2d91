"""Error pages that say what happened and leak nothing: a reference id, never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Render every HTTP error, and turn unexpected exceptions into a 500 page with an id."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_down)
    if not app.debug:  # with debug asked for, the debugger shows the traceback instead
        app.register_error_handler(Exception, _unexpected)


def _http_error(exc: HTTPException):
    return render_template("errors/error.html", error=exc), exc.code


def _database_down(exc: OperationalError):
    log.error("database unavailable: %s", exc.orig)
    return _http_error(ServiceUnavailable())


def _unexpected(exc: Exception):
    log.exception("unexpected error (reference %s)", g.get("request_id", "-"))
    return _http_error(InternalServerError())
