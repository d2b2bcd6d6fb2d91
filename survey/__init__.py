"""Expert-meeting survey service: questionnaires for invited experts, dashboards, exports."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from survey.config import PROJECT_ROOT, build_config


def create_app(config: dict | None = None) -> Flask:
    """Create the application; ``config`` overrides settings read from the environment."""
    instance_path = Path((config or {}).get("INSTANCE_PATH") or PROJECT_ROOT / "instance")
    app = Flask(__name__, instance_path=str(instance_path), instance_relative_config=True)
    app.config.from_mapping(build_config(instance_path, config))
    app.config.update(
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        # Long answers in Arabic or Chinese take 6-9 bytes a character once percent-encoded.
        MAX_FORM_MEMORY_SIZE=2 * 1024 * 1024,
        MAX_FORM_PARTS=2000,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=app.config["PRODUCTION"],
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.debug = app.config["DEBUG"]
    if app.config["PROXY_HOPS"]:
        # Trust exactly the proxies we were told of: a client's own X-Forwarded-For is ignored.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    from survey import db, errors, i18n, observability, respondent, security, static_files
    from survey.auth import bp as auth_bp
    from survey.export import views as export_views
    from survey.organiser import bp as organiser_bp
    from survey.tracking import bp as tracking_bp
    from survey.views import public

    observability.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    static_files.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(respondent.bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(tracking_bp)
    app.register_blueprint(organiser_bp)
    app.register_blueprint(export_views.bp)
    if app.config["BENCHMARK_ROUTES"]:  # bench/ only: production refuses the setting
        from survey.views import benchmark

        app.register_blueprint(benchmark.bp)
    return app
