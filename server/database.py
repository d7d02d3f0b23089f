"""Engine set-up that differs by database: SQLite needs a few settings to behave."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, has_request_context, request
from sqlalchemy import Connection, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from server.extensions import db

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Messages of the errors that mean "another transaction holds what we need: try again".
LOCK_MESSAGES = ("database is locked", "database table is locked", "database is busy",
                 "lock timeout", "could not obtain lock", "deadlock detected",
                 "could not serialize access")
# SQLSTATEs of PostgreSQL's lock and serialisation failures.
LOCK_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_lock_error(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) in LOCK_SQLSTATES:
        return True
    return any(message in str(original).lower() for message in LOCK_MESSAGES)


# Set while a read request writes beside its read (write_beside_read): that short
# transaction is a writer.
_beside_read = ContextVar("write_beside_read", default=False)
# INSERT ... ON CONFLICT, per dialect.
UPSERT_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def in_read_request() -> bool:
    return has_request_context() and request.method in READ_METHODS


def _writes_expected() -> bool:
    """A request that only reads (GET/HEAD) must not take SQLite's write lock: one long
    export would otherwise block every upload. Everything else (other methods, CLI
    commands, scheduler jobs) is a writer."""
    return _beside_read.get() or not in_read_request()


@contextmanager
def write_beside_read() -> Iterator[Connection]:
    """A short write transaction of its own, committed at once, for what a read request
    keeps (a cached report). Its read transaction cannot write on SQLite once another
    writer has committed since it began (SQLITE_BUSY_SNAPSHOT, no waiting); a fresh
    IMMEDIATE transaction waits for the lock instead. When the session is bound to one
    connection (the tests' rolled-back transaction), a savepoint stands in for it."""
    bind = db.session.get_bind()
    if isinstance(bind, Connection):
        with bind.begin_nested():
            yield bind
        return
    token = _beside_read.set(True)
    try:
        with bind.begin() as connection:
            yield connection
    finally:
        _beside_read.reset(token)


def roomy_planner() -> None:
    """For this transaction only, before a statement that reads a whole national round:
    room for its groupings and sorts in memory (the default 4 MB work_mem spills them to
    disk) and no JIT compilation (on statements of a few hundred ms it costs more than it
    saves). PostgreSQL only; SQLite has neither."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT set_config('work_mem', '64MB', true), "
                                "set_config('jit', 'off', true)"))


def _configure_sqlite(engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy emit BEGIN itself, so SAVEPOINTs and rollbacks work as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not _is_memory(engine):
            # WAL: readers do not block the writer (several workers, the scheduler).
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # Writers begin IMMEDIATE: they take the write lock up front and queue on
        # busy_timeout. A deferred transaction that reads and then writes after another
        # writer committed would fail at once in WAL (SQLITE_BUSY_SNAPSHOT) instead of
        # waiting. Readers begin deferred and never hold the write lock.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes_expected() else "BEGIN")


def _is_memory(engine) -> bool:
    return engine.url.database in (None, "", ":memory:")


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            assert sqlite3.sqlite_version_info >= (3, 35), "SQLite 3.35+ is needed (RETURNING)"
            _configure_sqlite(engine, app.config.get("SQLITE_BUSY_TIMEOUT_MS", 10000))
