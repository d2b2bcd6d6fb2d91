"""Pages anyone may see: the home page and the health check."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template
from sqlalchemy.exc import SQLAlchemyError

from survey import db
from survey.services import catalogue

bp = Blueprint("public", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def home():
    """Say what the service is and list the questionnaires with their dates."""
    questionnaires = catalogue.questionnaire_summaries(db.session())
    return render_template("public/home.html", questionnaires=questionnaires)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        db.database().ping()
    except SQLAlchemyError as exc:
        log.error("health check: database unavailable: %s", exc)
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "database": "up"}
