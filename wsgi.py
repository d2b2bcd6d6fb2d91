"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

import gc
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

# What start-up made (modules, the app, its routes and templates) lives as long as the worker:
# keep the collector from walking it again in every full collection (tens of milliseconds each,
# paid by whichever request triggered it).
gc.freeze()
