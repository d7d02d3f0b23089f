"""Checking a username and password, shared by the API and the web login."""

import unicodedata
from functools import cache

from sqlalchemy import select
from werkzeug.security import check_password_hash

from server.auth import throttle
from server.extensions import db
from server.people.models import User
from server.people.services import NO_PASSWORD, hash_password


@cache
def _dummy_hash() -> str:
    """Checked against when the user is unknown, so both failures cost the same time."""
    return hash_password("not-a-real-password")


class LoginRefused(Exception):
    def __init__(self, code: str, retry_after: int | None = None):
        super().__init__(code)
        self.code = code  # "invalid_credentials" or "too_many_attempts"
        self.retry_after = retry_after  # seconds, for "too_many_attempts"

    @property
    def status(self) -> int:
        return 429 if self.code == "too_many_attempts" else 401

    @property
    def headers(self) -> dict:
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


LOGIN_MESSAGES = {
    "invalid_credentials": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Incorrect username or password."),
    "too_many_attempts": ("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.",
                          "Too many failed logins. Please try again in 15 minutes."),
}


def _stored_password(connection, username: str):
    """The user's id, password hash and active flag, or None."""
    if not username or "\x00" in username:
        return None  # no account has such a name (and PostgreSQL text cannot hold NUL)
    return connection.execute(select(User.id, User.password_hash, User.is_active).where(
        User.username == username)).first()


def check_login(username: str, password: str, address: str) -> User:
    """The user, or LoginRefused. Must come before the request's own database work (see
    throttle.own_transaction)."""
    username = unicodedata.normalize("NFC", (username or "").strip().lower())
    # One short transaction reserves the attempt and reads the hash; the slow check below
    # runs outside any transaction, so on SQLite a login holds no write lock meanwhile.
    with throttle.own_transaction() as connection:
        retry_after = throttle.reserve_attempt(connection, username, address)
        stored = _stored_password(connection, username) if retry_after is None else None
    if retry_after is not None:
        raise LoginRefused("too_many_attempts", retry_after)  # no password check
    # An unknown user or one without a password (signs in by card) costs the same hash
    # check as a real one, so the time taken tells nothing about the account.
    usable = stored is not None and stored.password_hash != NO_PASSWORD
    ok = check_password_hash(stored.password_hash if usable else _dummy_hash(), password or "")
    user = db.session.get(User, stored.id) if ok and usable else None
    if user is None or not user.is_active:
        raise LoginRefused("invalid_credentials")  # the reserved attempt stays counted
    throttle.login_succeeded(username, address)
    return user
