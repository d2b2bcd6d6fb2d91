"""The database: engine, sessions per request, and the declarative base with stable names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import MetaData, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Stable constraint names, so Alembic migrations name the same thing on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> Engine:
    """Create an engine for the backend: WAL and a busy timeout on SQLite, pre-ping elsewhere."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transactions out of the driver's hands so that BEGIN is ours (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A write transaction takes the write lock at once: a deferred one that reads first
        # and writes later fails with "database is locked" when another writer got in between.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engine and session factories: for reading, for writing, and for reads whose every
    statement stands alone."""

    def __init__(self, url: str):
        self.engine = make_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        writer = self.engine.execution_options(sqlite_immediate=True)
        self.read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(writer, expire_on_commit=False)
        # On PostgreSQL a transaction costs a round trip to begin and one to end, and READ
        # COMMITTED gives each statement its own snapshot anyway. SQLite's cost nothing.
        # Not for server-side cursors (yield_per): they need a transaction.
        alone = self.engine
        if not self.is_sqlite:
            alone = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.single_statement_sessions = sessionmaker(alone, expire_on_commit=False)

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """Yield a session whose work is committed at the end, or rolled back on error."""
        with self.write_sessions() as session, session.begin():
            yield session

    def ping(self) -> None:
        """Raise if the database does not answer."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()


def init_app(app: Flask) -> None:
    """Attach the database to the app and close each request's session at its end."""
    app.extensions["survey.db"] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def database() -> Database:
    return current_app.extensions["survey.db"]


def session(statements_stand_alone: bool = False) -> Session:
    """The session of the current request: a write session for requests that change state.

    A request whose statements each make sense alone (none relies on seeing the same data as
    another, and each write is one statement that checks what it needs) may say so, and run
    them outside a transaction (see Database). Not a write on SQLite: its transaction takes
    the write lock first, which a read followed by a write would otherwise fail to get. Only
    the first call of a request chooses."""
    if "db_session" not in g:
        db = database()
        writes = not has_request_context() or request.method not in {"GET", "HEAD", "OPTIONS"}
        if statements_stand_alone and not (writes and db.is_sqlite):
            g.db_session = db.single_statement_sessions()
        elif writes:
            g.db_session = db.write_sessions()
        else:
            g.db_session = db.read_sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
