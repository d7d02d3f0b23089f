"""An upload's CPU-bound preparation kept outside SQLite's write lock.

On SQLite every request that may write begins BEGIN IMMEDIATE (server/database.py), so the
one write lock of the database is taken by the request's first query, the token check,
and held until its commit: while one worker parsed, admitted, hashed and validated a
batch of 100 responses, every other worker waited. The token check writes nothing, so
ending its transaction there frees the lock while the body is read and prepared;
ingest_batch reads again, under the lock, everything it decides on (what is stored, the
rounds, scope, form versions), and the token's last use and the sync are written in that
second transaction. The token and its user were checked in the ended transaction: the
guarantee PostgreSQL gives anyway, where reads take no lock.
"""

from functools import wraps

from server.extensions import db


def _holds_only_reads(session) -> bool:
    return not (session.new or session.dirty or session.deleted)


def release_write_lock(view):
    """Decorate a view whose work before its first query needs no lock (SQLite only;
    PostgreSQL takes no lock for the token check)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        session = db.session()
        if session.in_transaction() and session.get_bind().dialect.name == "sqlite" \
                and _holds_only_reads(session):
            session.rollback()
        return view(*args, **kwargs)

    return wrapper
