"""Server-side web sessions: the signed cookie carries only a random key; the row it names
decides whether the login still holds, so logout and password changes end it everywhere."""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from server.auth.models import WebSession
from server.database import in_read_request, is_lock_error, write_beside_read
from server.db_types import utcnow
from server.extensions import db
from server.people.models import User

# last_seen_at is a write in a GET: refresh it at most this often, so a page view usually
# writes nothing and a busy official costs one small update every few minutes.
TOUCH_INTERVAL = timedelta(minutes=5)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _idle_limit() -> timedelta:
    return timedelta(hours=current_app.config["WEB_SESSION_IDLE_HOURS"])


def start_session(user: User) -> str:
    """A new session for the user; returns the key for the cookie (stored only hashed)."""
    now = utcnow()
    # The user's expired sessions are of no further use: keep the table small.
    db.session.execute(delete(WebSession).where(WebSession.user_id == user.id,
                                                 WebSession.expires_at <= now))
    key = secrets.token_urlsafe(32)
    lifetime = timedelta(hours=current_app.config["WEB_SESSION_MAX_HOURS"])
    db.session.add(WebSession(key_hash=hash_key(key), user=user, created_at=now,
                              last_seen_at=now, expires_at=now + lifetime))
    db.session.flush()
    return key


def resolve_session(key: str, now: datetime | None = None) -> WebSession | None:
    """The live session for a cookie's key, or None when it is unknown, ended (logout,
    password change, deactivation), past its lifetime or idle for too long."""
    now = now or utcnow()
    record = db.session.scalar(select(WebSession).where(WebSession.key_hash == hash_key(key)))
    if record is None or record.revoked_at is not None or record.expires_at <= now:
        return None
    if now - record.last_seen_at >= _idle_limit() or not record.user.is_active:
        return None
    return record


def note_session_use(record: WebSession, now: datetime | None = None) -> None:
    """Keep an active session from going idle. Call it last in a request. A GET writes it in
    a short transaction of its own: its read transaction cannot write on SQLite once the
    page stored something beside it (a cached summary)."""
    now = now or utcnow()
    if now - record.last_seen_at < TOUCH_INTERVAL:
        return
    if not in_read_request():
        record.last_seen_at = now
        return
    try:
        with write_beside_read() as connection:
            connection.execute(update(WebSession).where(WebSession.id == record.id)
                               .values(last_seen_at=now))
    except OperationalError as error:
        if not is_lock_error(error):
            raise
        return  # only bookkeeping: the next view tries again
    set_committed_value(record, "last_seen_at", now)


def end_session(record: WebSession) -> None:
    record.revoked_at = utcnow()


def end_user_sessions(user_id: int) -> None:
    """End every web session of a user (password changed, account deactivated)."""
    db.session.execute(update(WebSession).where(
        WebSession.user_id == user_id, WebSession.revoked_at.is_(None)).values(revoked_at=utcnow()))
