"""Failed-login throttling per user and per address, stored in the database."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from server.db_types import utcnow
from server.extensions import db
from server.people.models import LoginAttempt


def _window_start():
    return utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def is_throttled(username: str, address: str) -> bool:
    since = _window_start()
    by_user = db.session.scalar(select(func.count()).where(
        LoginAttempt.username == username, LoginAttempt.attempted_at >= since))
    by_address = db.session.scalar(select(func.count()).where(
        LoginAttempt.address == address, LoginAttempt.attempted_at >= since))
    return (by_user >= current_app.config["LOGIN_MAX_FAILURES_PER_USER"]
            or by_address >= current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"])


def record_failure(username: str, address: str) -> None:
    db.session.add(LoginAttempt(username=username[:80], address=address[:64], attempted_at=utcnow()))


def clear_failures(username: str) -> None:
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
