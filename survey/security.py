"""CSRF protection and the security headers every response carries."""

from __future__ import annotations

from flask import Flask, abort, current_app, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.wrappers import Response

csrf = CSRFProtect()

# No inline script or style anywhere: Plotly draws under this policy (see dashboards).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Protect every form against CSRF and add the headers to every response."""
    csrf.init_app(app)
    app.before_request(_refuse_too_many_fields)
    app.after_request(_headers)


# Werkzeug limits the parts of a multipart form (MAX_FORM_PARTS) but not the fields of an
# urlencoded one: count them before anything parses the body.
MAX_FORM_FIELDS = 1000


def _refuse_too_many_fields() -> None:
    urlencoded = request.mimetype == "application/x-www-form-urlencoded"
    if request.method == "POST" and urlencoded:
        fields = request.get_data(cache=True).count(b"&") + 1
        if fields > MAX_FORM_FIELDS:
            abort(413, f"A form may hold at most {MAX_FORM_FIELDS} fields.")


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # same-origin, not no-referrer: Flask-WTF checks the Referer of HTTPS form posts.
    response.headers["Referrer-Policy"] = "same-origin"
    if current_app.config["PRODUCTION"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response
