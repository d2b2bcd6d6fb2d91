"""Backups of the database while the service runs, and restoring a SQLite backup.

- SQLite: SQLite's online backup API copies the database in one step under a read lock, so the
  copy is one consistent state even while the service writes (WAL readers never block it).
- PostgreSQL: ``pg_dump --format=custom``. The rows counted for the summary are read in the
  very snapshot that pg_dump dumps (``pg_export_snapshot`` and ``pg_dump --snapshot``), so the
  summary describes the file exactly. Restore with ``pg_restore`` (see the README).

Either way the file is written beside its destination under a temporary name and renamed at
the end: a failed or interrupted backup never leaves a half-written file under the real name.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

# What the summary counts, in this order (tables that a schema lacks are left out).
COUNTED = (
    ("questionnaire", "questionnaires"),
    ("participant", "participants"),
    ("response", "responses"),
    ("submission", "submissions"),
    ("answer", "answers"),
    ("staff", "organiser accounts"),
)
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """The backup or restore cannot be made; the message says why and what to do."""


@dataclass
class Summary:
    """What a backup holds: the schema revision and the number of rows of the main tables."""

    backend: str
    source: str
    path: Path
    size: int
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        rows = ", ".join(f"{n} {label}" for label, n in self.counts.items())
        return (
            f"{self.backend} database {self.source} -> {self.path} ({human_size(self.size)}): "
            f"schema {self.revision or 'empty'}; {rows or 'no tables'}"
        )


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def backup(database_url: str, out: Path) -> Summary:
    """Back up the database at ``database_url`` into the file ``out``."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _backup_sqlite(url, out)
    if backend == "postgresql":
        return _backup_postgresql(url, out)
    raise BackupError(f"backups of {backend} databases are not supported (SQLite, PostgreSQL)")


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("the SQLite database is in memory: there is nothing to back up")
    return Path(url.database)


def _backup_sqlite(url: URL, out: Path) -> Summary:
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise BackupError(f"the SQLite database {source_path} does not exist")
    with _written_atomically(out) as partial:
        source = sqlite3.connect(source_path, timeout=30)
        target = sqlite3.connect(partial)
        try:
            # pages=-1 (the default): one step under one read lock, hence one consistent state.
            source.backup(target)
            # A backup is one self-contained file: no -wal beside it.
            target.execute("PRAGMA journal_mode=DELETE")
            revision, counts = _sqlite_contents(target)
        finally:
            target.close()
            source.close()
    return Summary("sqlite", str(source_path), out, out.stat().st_size, revision, counts)


def _sqlite_contents(conn: sqlite3.Connection) -> tuple[str | None, dict[str, int]]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    counts = {
        label: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table, label in COUNTED
        if table in tables
    }
    return revision, counts


def restore_sqlite(backup_file: Path, database_url: str) -> Summary:
    """Replace the SQLite database at ``database_url`` by the backup, page by page.

    SQLite's backup API writes into the live file under its write lock, so a process that has
    the database open sees either the old or the restored database, never a mixture.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            "survey restore only restores SQLite databases; for PostgreSQL use pg_restore "
            "(see the README, Operations: backups)"
        )
    kind = file_kind(backup_file)
    if kind == "pg_dump":
        raise BackupError(
            f"{backup_file} is a PostgreSQL dump: restore it with pg_restore into a "
            "PostgreSQL database (see the README, Operations: backups)"
        )
    if kind != "sqlite":
        raise BackupError(f"{backup_file} is not a backup made by 'survey backup'")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        problem = source.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"{backup_file} is damaged ({problem}); nothing was restored")
        revision, counts = _sqlite_contents(source)
        target_path = sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return Summary(
        "sqlite", str(backup_file), target_path, target_path.stat().st_size, revision, counts
    )


def file_kind(path: Path) -> str | None:
    """'sqlite', 'pg_dump' or None, from the first bytes of the file."""
    with path.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "pg_dump"
    return None


# --- PostgreSQL -------------------------------------------------------------------------------


def find_pg_tool(name: str) -> str:
    """The path of a PostgreSQL client program: on PATH, else the newest server's bin folder."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parts[-3].split(".")],
    )
    if candidates:
        return candidates[-1]
    raise BackupError(
        f"{name} was not found (not on PATH, nor in /usr/lib/postgresql/*/bin): install the "
        "PostgreSQL client programs (Debian: apt-get install postgresql-client) or add their "
        "folder to PATH"
    )


def libpq_arguments(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI for ``url`` without its password, and the environment with it.

    The password goes through PGPASSWORD so that it never shows in the process list.
    """
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _backup_postgresql(url: URL, out: Path) -> Summary:
    pg_dump = find_pg_tool("pg_dump")
    uri, env = libpq_arguments(url)
    engine = create_engine(url)
    snapshot_reader = engine.execution_options(
        isolation_level="REPEATABLE READ", postgresql_readonly=True
    )
    try:
        with snapshot_reader.connect() as conn, _written_atomically(out) as partial:
            # Count in the snapshot that pg_dump will dump, so the summary is the file's.
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            revision, counts = _postgresql_contents(conn)
            result = subprocess.run(  # noqa: S603 (arguments, not a shell)
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    f"--file={partial}",
                    f"--dbname={uri}",
                ],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                reason = result.stderr.strip() or f"exit status {result.returncode}"
                raise BackupError(f"pg_dump failed: {reason}")
            conn.rollback()
    finally:
        engine.dispose()
    where = url.render_as_string(hide_password=True)
    return Summary("postgresql", where, out, out.stat().st_size, revision, counts)


def _postgresql_contents(conn) -> tuple[str | None, dict[str, int]]:
    tables = set(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
    )
    revision = None
    if "alembic_version" in tables:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    counts = {
        label: conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()  # noqa: S608
        for table, label in COUNTED
        if table in tables
    }
    return revision, counts


# --- files ------------------------------------------------------------------------------------


@contextmanager
def _written_atomically(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out``, renamed to ``out`` if the block succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    partial = Path(name)
    try:
        partial.unlink()  # sqlite3 and pg_dump make the file themselves
        yield partial
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
