"""Checking a username and password, shared by the API and the web login."""

import unicodedata
from functools import cache

from werkzeug.security import check_password_hash

from server.auth import throttle
from server.people.models import User
from server.people.services import find_user, hash_password


@cache
def _dummy_hash() -> str:
    """Checked against when the user is unknown, so both failures cost the same time."""
    return hash_password("not-a-real-password")


class LoginRefused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code  # "invalid_credentials" or "too_many_attempts"


LOGIN_MESSAGES = {
    "invalid_credentials": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Incorrect username or password."),
    "too_many_attempts": ("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.",
                          "Too many failed logins. Please try again in 15 minutes."),
}


def check_login(username: str, password: str, address: str) -> User:
    username = unicodedata.normalize("NFC", (username or "").strip().lower())
    if throttle.is_throttled(username, address):
        raise LoginRefused("too_many_attempts")
    user = find_user(username) if username else None
    ok = check_password_hash(user.password_hash if user else _dummy_hash(), password or "")
    if user is None or not ok or not user.is_active:
        throttle.record_failure(username, address)
        raise LoginRefused("invalid_credentials")
    throttle.clear_failures(username)
    return user
