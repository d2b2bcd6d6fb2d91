"""The app's own static files under URLs that name their content.

``url_for("static", filename=...)`` adds ``v``, a digest of the file: after an upgrade a
browser holding yesterday's copy of a script or style sheet asks for the new one, instead of
running it with today's pages (dashboards.js once drew charts without their shared template
until the browser happened to revalidate). A file asked for under its current digest may be
kept a year: a slow meeting network then carries it once. The digest is read once per
process; in debug mode, at every call, so that an edited file shows at once.
"""

from __future__ import annotations

from functools import lru_cache
from hashlib import sha256

from flask import Flask, Response, request
from werkzeug.security import safe_join

VERSION_ARG = "v"
YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    folder = app.static_folder

    def digest(filename: str) -> str | None:
        path = safe_join(folder, filename) if folder else None
        if path is None:  # outside the folder: no version, and the URL answers 404
            return None
        try:
            with open(path, "rb") as file:
                return sha256(file.read()).hexdigest()[:12]
        except OSError:  # no such file: its URL answers 404, with or without a version
            return None

    # Bounded: a file has many spellings of its path (./style.css, .//style.css ...).
    version = digest if app.debug else lru_cache(maxsize=64)(digest)

    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and VERSION_ARG not in values:
            found = version(values.get("filename", ""))
            if found is not None:
                values[VERSION_ARG] = found

    @app.after_request
    def _cache_versioned(response: Response) -> Response:
        asked = request.args.get(VERSION_ARG)
        # 200 first: only files that exist are digested, whatever URLs are tried.
        if (
            request.endpoint == "static"
            and response.status_code == 200
            and asked
            and asked == version(request.view_args["filename"])
        ):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
