"""Failed-login throttling per user and per address, counted atomically in the database.

An attempt is reserved *before* its password is checked: one upsert per key adds it to the
key's count in the current window and returns the new count, so simultaneous attempts each
see a different number and at most the limit of them get a password check. A login that
succeeds gives its reservation back; a failed one leaves it counted."""

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Connection, case, delete, literal, update

from server.auth.models import LoginCounter
from server.database import UPSERT_INSERTS
from server.db_types import UTCDateTime, utcnow
from server.extensions import db

COUNTERS = LoginCounter.__table__


def _storable(text: str) -> str:
    # PostgreSQL text cannot hold NUL: a name typed with one still counts, under a visible stand-in.
    return text[:150].replace("\x00", "\\0")


def _user_key(username: str) -> str:
    return "user:" + _storable(username)


def _address_key(address: str) -> str:
    return "addr:" + _storable(address)


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


@contextmanager
def own_transaction() -> Iterator[Connection]:
    """A connection whose work is committed at once, whatever the request's outcome.

    A refused login answers 401 or 429, and the app rolls back every request answering
    >= 400: a count kept in the request's transaction would be lost with it, and guessing
    would cost nothing. So the count is written in a short transaction of its own, on a
    separate connection. On SQLite that connection waits for the write lock, so this must
    run before the request's own transaction has begun (a POST's holds the write lock).
    When the session is bound to a single connection (the tests' rolled-back transaction),
    a savepoint on that connection stands in for the separate transaction."""
    bind = db.session.get_bind(mapper=LoginCounter.__mapper__)
    if isinstance(bind, Connection):
        with bind.begin_nested():
            yield bind
        return
    if bind.dialect.name == "sqlite" and db.session().in_transaction():
        raise RuntimeError("login counting must come before the request's own transaction "
                           "(on SQLite it would wait for that transaction's write lock)")
    with bind.begin() as connection:
        yield connection


def _reserve(connection: Connection, key: str, now: datetime) -> tuple[int, datetime]:
    """Add one attempt to the key's window (a new window when the last one has passed);
    returns the count including this attempt, and when the window started."""
    expired = COUNTERS.c.window_started_at <= now - _window()
    upsert = UPSERT_INSERTS[connection.dialect.name](COUNTERS).values(
        key=key, window_started_at=now, failures=1)
    upsert = upsert.on_conflict_do_update(index_elements=[COUNTERS.c.key], set_={
        "failures": case((expired, 1), else_=COUNTERS.c.failures + 1),
        "window_started_at": case((expired, literal(now, UTCDateTime())),
                                  else_=COUNTERS.c.window_started_at),
    }).returning(COUNTERS.c.failures, COUNTERS.c.window_started_at)
    count, started = connection.execute(upsert).one()
    return count, started


def reserve_attempt(connection: Connection, username: str, address: str) -> int | None:
    """Count this attempt against the address, then the user, on a connection of
    own_transaction(). None when it may go on to the password check; otherwise the seconds
    until the full window ends (a 429)."""
    now = utcnow()
    limits = ((_address_key(address), current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
              (_user_key(username), current_app.config["LOGIN_MAX_FAILURES_PER_USER"]))
    for key, limit in limits:
        count, started = _reserve(connection, key, now)
        if count > limit:
            # A blocked address stops here: its guesses create no rows for made-up users.
            return max(1, math.ceil((started + _window() - now).total_seconds()))
    return None


def login_succeeded(username: str, address: str) -> None:
    """The user's count starts again and the address gets its reservation back, so
    colleagues logging in from one office do not use up its limit. Part of the request's
    transaction: committed with the successful login."""
    db.session.execute(delete(LoginCounter).where(LoginCounter.key == _user_key(username)))
    db.session.execute(update(LoginCounter).where(
        LoginCounter.key == _address_key(address), LoginCounter.failures > 0,
    ).values(failures=LoginCounter.failures - 1))
    # Windows that have passed count nothing: keep the table small.
    db.session.execute(delete(LoginCounter).where(
        LoginCounter.window_started_at <= utcnow() - _window()))


# --- other kinds of sign-in (sign-in cards: "signin:<address>") ---------------------------

def reserve_key(connection: Connection, key: str, limit: int) -> int | None:
    """Count one attempt against a key of its own kind, on a connection of own_transaction().
    None when it may go on; otherwise the seconds until the window ends (a 429)."""
    now = utcnow()
    count, started = _reserve(connection, key, now)
    if count > limit:
        return max(1, math.ceil((started + _window() - now).total_seconds()))
    return None


def give_back(key: str) -> None:
    """A success returns its reservation, so only failures use the key's limit up. Part of
    the request's transaction: committed with the success."""
    db.session.execute(update(LoginCounter).where(
        LoginCounter.key == key, LoginCounter.failures > 0,
    ).values(failures=LoginCounter.failures - 1))
