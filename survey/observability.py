"""Logging with a request id on every line, and the id echoed to the client."""

from __future__ import annotations

import logging
import secrets
import time

from flask import Flask, g, has_request_context, request
from werkzeug.wrappers import Response


class RequestIdFilter(logging.Filter):
    """Put the current request's id (or '-') on every log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def init_app(app: Flask) -> None:
    """Configure logging once and time every request."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    if not any(isinstance(f, RequestIdFilter) for h in root.handlers for f in h.filters):
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"].upper())
    # As the very first step of a request: a personal link is loaded (and may fail with 404,
    # 429 or 503) in the respondent blueprint's url_value_preprocessor, which runs before any
    # before_request function; the error page must show this request's id all the same.
    app.url_value_preprocessor(lambda _endpoint, _values: _start())
    app.after_request(_finish)


def _start() -> None:
    g.request_id = secrets.token_hex(6)
    g.started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "-")
    elapsed_ms = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    # The path is logged without its personal-link token: a link must never reach a log.
    path = request.url_rule.rule if request.url_rule else "(no route)"
    logging.getLogger("survey.request").info(
        "%s %s %s %.1fms", request.method, path, response.status_code, elapsed_ms
    )
    return response
