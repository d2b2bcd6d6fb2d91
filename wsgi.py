"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

import sys

from survey import create_app
from survey.config import ConfigError
from survey.startup import check_ready

try:
    app = create_app()
    check_ready(app)
except ConfigError as exc:
    print(f"error: {exc}", file=sys.stderr)
    # 3 is gunicorn's "worker failed to boot": it then stops instead of restarting forever.
    sys.exit(3)
