"""Device tokens: random, shown once, stored only as a SHA-256 hash."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from server.db_types import utcnow
from server.extensions import db
from server.people.models import DeviceToken, User


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: DeviceToken


class TokenProblem(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, lifetime_days: int, name: str = "") -> IssuedToken:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    record = DeviceToken(user=user, name=name[:200], token_hash=hash_token(token),
                         created_at=now, expires_at=now + timedelta(days=lifetime_days))
    db.session.add(record)
    db.session.flush()
    return IssuedToken(token=token, record=record)


def resolve_token(token: str, now: datetime | None = None) -> DeviceToken:
    """The live token record, or TokenProblem(token_invalid|token_expired|token_revoked)."""
    now = now or utcnow()
    # The user in the same query: every API request asks whether they are active.
    record = db.session.scalar(select(DeviceToken).options(joinedload(DeviceToken.user))
                               .where(DeviceToken.token_hash == hash_token(token)))
    if record is None or not record.user.is_active:
        raise TokenProblem("token_invalid")
    if record.revoked_at is not None:
        raise TokenProblem("token_revoked")
    if record.expires_at <= now:
        raise TokenProblem("token_expired")
    return record


def note_token_use(record: DeviceToken, now: datetime | None = None) -> None:
    """Record the token's last use, at most once a minute (no write on every request of a
    batch sync). Call it last in a request: on SQLite a GET reads without the write lock,
    and this write is left for the request's commit."""
    now = now or utcnow()
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        record.last_used_at = now


def revoke_user_tokens(user_id: int) -> None:
    """Revoke every device token of a user (password changed, account deactivated)."""
    db.session.execute(update(DeviceToken).where(
        DeviceToken.user_id == user_id, DeviceToken.revoked_at.is_(None)).values(revoked_at=utcnow()))


def revoke(record: DeviceToken) -> None:
    record.revoked_at = utcnow()
