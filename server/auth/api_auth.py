"""Bearer-token authentication for the API."""

from functools import wraps

from flask import current_app, g, request

from server.auth.models import WebSession
from server.auth.tokens import TokenProblem, note_token_use, resolve_token
from server.auth.web import current_web_session
from server.auth.web_sessions import note_session_use
from server.errors import ApiError
from server.people.models import DeviceToken

TOKEN_MESSAGES = {
    "not_authenticated": ("Bạn chưa đăng nhập. Vui lòng đăng nhập.", "You are not logged in. Please log in."),
    "token_invalid": ("Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.", "Your login is not valid. Please log in again."),
    "token_expired": ("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại; dữ liệu trên máy vẫn được giữ.", "Your login has expired. Please log in again; data on this device is kept."),
    "token_revoked": ("Phiên đăng nhập đã bị thu hồi. Vui lòng đăng nhập lại; dữ liệu trên máy vẫn được giữ.", "Your login was revoked. Please log in again; data on this device is kept."),
}


def _unauthenticated(code: str) -> ApiError:
    vi, en = TOKEN_MESSAGES[code]
    return ApiError(401, code, vi, {"message_en": en}, headers={"WWW-Authenticate": "Bearer"})


def authenticate_request() -> DeviceToken:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthenticated("not_authenticated")
    try:
        record = resolve_token(token.strip())
    except TokenProblem as problem:
        raise _unauthenticated(problem.code) from None
    g.current_token = record
    g.current_user = record.user
    return record


def forbidden(message_vi: str = "Bạn không có quyền làm việc này.",
              message_en: str = "You are not allowed to do this.") -> ApiError:
    return ApiError(403, "forbidden", message_vi, {"message_en": message_en})


def _web_session() -> WebSession | None:
    """The live web session, for read-only requests only: a cookie carries no CSRF
    protection, so it never authorises a write to the API. An ended or expired session
    falls through to the bearer check (401)."""
    if request.method not in ("GET", "HEAD"):
        return None
    record = current_web_session()
    if record is not None:
        g.current_user = record.user
    return record


def api_login_required(roles: tuple[str, ...] | None = None, allow_session: bool = False):
    """Require a valid bearer token, and one of `roles` when given. With `allow_session`,
    a GET may also come from the web session (an official clicking "download" in a page)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            web_session = _web_session() if allow_session else None
            token = None if web_session is not None else authenticate_request()
            user = web_session.user if web_session is not None else token.user
            if roles and user.role not in roles:
                raise forbidden()
            response = current_app.ensure_sync(view)(*args, **kwargs)
            # Bookkeeping last: a GET does its reading before this write (see note_token_use).
            if web_session is not None:
                note_session_use(web_session)
            else:
                note_token_use(token)
            return response

        return wrapper

    return decorator
