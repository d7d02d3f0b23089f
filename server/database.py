"""Engine set-up that differs by database: SQLite needs a few settings to behave."""

import sqlite3

from flask import Flask
from sqlalchemy import event

from server.extensions import db


def _configure_sqlite(engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        # Let SQLAlchemy emit BEGIN itself, so SAVEPOINTs and rollbacks work as documented.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if not _is_memory(engine):
            # WAL: readers do not block the writer (several workers, the scheduler).
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE: take the write lock up front. A deferred transaction that reads and
        # then writes after another writer committed fails at once in WAL mode
        # (SQLITE_BUSY_SNAPSHOT) instead of waiting; this way writers queue politely.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _is_memory(engine) -> bool:
    return engine.url.database in (None, "", ":memory:")


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            assert sqlite3.sqlite_version_info >= (3, 35), "SQLite 3.35+ is needed (RETURNING)"
            _configure_sqlite(engine)
