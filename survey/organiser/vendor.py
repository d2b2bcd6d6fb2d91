"""plotly.js, served by the app from the installed plotly package: no CDN, cached for a year.

The URL carries plotly's version, so a new plotly is a new URL and the old copy in browsers'
caches is never used for it.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

import plotly
from flask import Flask, Response, abort, request

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
VERSION = plotly.__version__
ENDPOINT = "vendor_plotly"
YEAR = 365 * 24 * 3600


@cache
def _body(compressed: bool) -> bytes:
    data = PLOTLY_JS.read_bytes()
    return gzip.compress(data, compresslevel=9, mtime=0) if compressed else data


def serve_plotly(version: str) -> Response:
    """The plotly.js bundle, gzipped for browsers that accept it (4.8 MB becomes 1.5 MB)."""
    if version != VERSION:
        abort(404)
    compressed = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(_body(compressed), mimetype="text/javascript")
    if compressed:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    """Add the route /static-vendor/plotly-<version>.min.js."""
    app.add_url_rule(
        "/static-vendor/plotly-<version>.min.js", ENDPOINT, serve_plotly, methods=["GET"]
    )
