"""Settings: read from ``SURVEY_*`` environment variables, checked once at start-up."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger(__name__)

PREFIX = "SURVEY_"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", None, "SQLAlchemy URL; default: a SQLite file in the instance folder"),
    Setting(
        "SECRET_KEY",
        None,
        "signs sessions and CSRF tokens; default: generated once, kept in the instance folder",
        secret=True,
    ),
    Setting(
        "PSEUDONYM_KEY",
        None,
        "keys the one-way pseudonyms of anonymous answers; default: "
        "generated once, kept in the instance folder. Never change it once answers exist",
        secret=True,
    ),
    Setting("BASE_URL", "http://127.0.0.1:8000", "public address used in every generated link"),
    Setting("TIMEZONE", "Europe/Vienna", "the meeting's time zone (IANA name)"),
    Setting("QUESTIONS_DIR", str(PROJECT_ROOT / "questions"), "folder of questionnaire files"),
    Setting("ENV", "development", "'production' turns on Secure cookies and HSTS"),
    Setting(
        "PROXY_HOPS",
        "0",
        "how many reverse proxies stand before the service (their "
        "X-Forwarded-For/-Proto are then trusted); 0: none, the headers are ignored",
    ),
    Setting("DEBUG", "0", "1 shows the interactive debugger: never in production"),
    Setting("LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR"),
    Setting("SMALL_CELL_THRESHOLD", "5", "counts below it are shown as 'fewer than N'"),
    Setting("SMTP_HOST", "", "mail server for invitations and reminders; empty: no e-mail"),
    Setting("SMTP_PORT", "25", "mail server port"),
    Setting("SMTP_USER", "", "mail server user"),
    Setting("SMTP_PASSWORD", "", "mail server password", secret=True),
    Setting("SMTP_STARTTLS", "0", "1 to use STARTTLS"),
    Setting("MAIL_FROM", "survey@localhost", "sender address of invitations and reminders"),
    Setting(
        "BENCHMARK_ROUTES",
        "0",
        "1 adds the trivial routes the benchmark (bench/) measures its ceiling with; "
        "refused in production",
    ),
)
KNOWN = {s.name for s in SETTINGS}


def read_environment(environ: os._Environ | dict) -> dict[str, str]:
    """Return the SURVEY_* variables without their prefix, warning about unknown ones."""
    found = {k[len(PREFIX) :]: v for k, v in environ.items() if k.startswith(PREFIX)}
    for name in sorted(set(found) - KNOWN):
        log.warning(
            "unknown setting %s%s is ignored (known: see README, Configuration)", PREFIX, name
        )
    return {k: v for k, v in found.items() if k in KNOWN}


def build_config(instance_path: Path, overrides: dict | None = None) -> dict:
    """Merge defaults, the environment and overrides into the Flask config, checking each."""
    values = {s.name: s.default for s in SETTINGS}
    values.update(read_environment(os.environ))
    values.update(overrides or {})
    instance_path.mkdir(parents=True, exist_ok=True)
    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = f"sqlite:///{instance_path / 'survey.db'}"
    for name in ("SECRET_KEY", "PSEUDONYM_KEY"):
        if not values.get(name):
            values[name] = _kept_secret(instance_path / name.lower())
    _check(values)
    return {
        **{k: v for k, v in values.items() if k in KNOWN},
        **{k: v for k, v in (overrides or {}).items() if k not in KNOWN},
        "DEBUG": _flag(values["DEBUG"]),
        "PRODUCTION": values["ENV"] == "production",
        "SMALL_CELL_THRESHOLD": int(values["SMALL_CELL_THRESHOLD"]),
        "SMTP_PORT": int(values["SMTP_PORT"]),
        "PROXY_HOPS": int(values["PROXY_HOPS"]),
        "SMTP_STARTTLS": _flag(values["SMTP_STARTTLS"]),
        "BENCHMARK_ROUTES": _flag(values["BENCHMARK_ROUTES"]),
        "QUESTIONS_DIR": Path(values["QUESTIONS_DIR"]),
        "BASE_URL": values["BASE_URL"].rstrip("/"),
    }


def _kept_secret(path: Path) -> str:
    """Read a secret kept in the instance folder, making it on first use."""
    if not path.exists():
        # O_EXCL: two workers starting together must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _flag(value: str | bool) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _check(values: dict) -> None:
    try:
        make_url(values["DATABASE_URL"])
    except ArgumentError as exc:
        raise ConfigError(
            f"SURVEY_DATABASE_URL is not a database URL ({exc}); "
            "example: postgresql+psycopg://user@host:5432/survey"
        ) from None
    try:
        ZoneInfo(values["TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"SURVEY_TIMEZONE {values['TIMEZONE']!r} is not a time zone; "
            "use an IANA name such as Europe/Vienna"
        ) from None
    if not values["BASE_URL"].startswith(("http://", "https://")):
        raise ConfigError("SURVEY_BASE_URL must start with http:// or https://")
    if values["ENV"] not in {"development", "production"}:
        raise ConfigError("SURVEY_ENV must be 'development' or 'production'")
    if values["ENV"] == "production" and _flag(values["BENCHMARK_ROUTES"]):
        raise ConfigError("SURVEY_BENCHMARK_ROUTES=1 is for benchmarks only, never in production")
    for name in ("SMALL_CELL_THRESHOLD", "SMTP_PORT", "PROXY_HOPS"):
        if not str(values[name]).isdigit():
            raise ConfigError(f"SURVEY_{name} must be a whole number, not {values[name]!r}")
