"""The benchmark's ceiling: the most trivial form of this app (registered only when
``SURVEY_BENCHMARK_ROUTES=1``, which production refuses; see bench/).

The same app, middleware and database as the expert's form, with nothing else: a GET that
hands out a CSRF token and a POST that checks it, inserts one row and redirects.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, redirect, url_for
from flask_wtf.csrf import generate_csrf

from survey import db
from survey.models import Throttle
from survey.models.columns import utcnow

bp = Blueprint("benchmark", __name__, url_prefix="/_bench")
# The rows go into the rate-limit table under keys no limit uses; the bench deletes them.
KEY_PREFIX = "bench:"


@bp.get("/ping")
def ping_page():
    """A form with nothing but a CSRF token."""
    token = generate_csrf()
    return f'<form method="post"><input type="hidden" name="csrf_token" value="{token}"></form>'


@bp.post("/ping")
def ping():
    """Insert one row (the CSRF token is checked by the app's CSRF protection), redirect."""
    session = db.session()
    session.add(Throttle(key=KEY_PREFIX + secrets.token_hex(12), window_start=utcnow(), count=0))
    session.commit()
    return redirect(url_for(".ping_page"))
