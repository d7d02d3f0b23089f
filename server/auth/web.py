"""Session login for officials and admins (the web pages)."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from server.auth.login import LOGIN_MESSAGES, LoginRefused, check_login
from server.auth.models import WebSession
from server.auth.web_sessions import end_session, note_session_use, resolve_session, start_session
from server.people.models import User

bp = Blueprint("auth_web", __name__)

# The only login state in the signed cookie: the random key of a WebSession row.
SESSION_KEY = "web_session"
# Per-request cache of the resolved session, in the WSGI environ rather than `g`: tests
# reuse one app context (and its `g`) across requests, a request's environ is its own.
_ENVIRON_KEY = "lang_nghe.web_session"
_MISSING = object()
SESSION_ENDED = "Phiên đăng nhập đã kết thúc. Vui lòng đăng nhập lại."


def current_web_session() -> WebSession | None:
    cached = request.environ.get(_ENVIRON_KEY, _MISSING)
    if cached is not _MISSING:
        return cached
    key = session.get(SESSION_KEY)
    record = resolve_session(key) if isinstance(key, str) and key else None
    if record is None and key is not None:
        session.pop(SESSION_KEY, None)  # ended or expired: stop sending it
    request.environ[_ENVIRON_KEY] = record
    return record


def current_web_user() -> User | None:
    record = current_web_session()
    return record.user if record is not None else None


def note_web_session_use() -> None:
    """Refresh the session's last use; the caller does this after its work (see
    note_session_use: a bookkeeping write comes last in a request)."""
    record = current_web_session()
    if record is not None:
        note_session_use(record)


def web_login_required(roles: tuple[str, ...] | None = None):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            had_session = bool(session.get(SESSION_KEY))
            user = current_web_user()
            if user is None:
                if had_session:
                    flash(SESSION_ENDED, "info")
                return redirect(url_for("auth_web.login", next=request.full_path))
            if roles and user.role not in roles:
                abort(403)
            response = view(*args, **kwargs)
            note_web_session_use()
            return response

        return wrapper

    return decorator


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.home")


def _log_in(user: User) -> None:
    previous = current_web_session()
    if previous is not None:
        end_session(previous)  # the browser's earlier login is replaced, not left running
    key = start_session(user)
    session.clear()  # a fresh cookie (and CSRF token) at login: no session fixation
    session[SESSION_KEY] = key
    session.permanent = True
    request.environ.pop(_ENVIRON_KEY, None)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        try:
            user = check_login(request.form.get("username", ""), request.form.get("password", ""),
                               request.remote_addr or "")
        except LoginRefused as refused:
            flash(LOGIN_MESSAGES[refused.code][0], "error")
            page = render_template("login.html", username=request.form.get("username", ""))
            return page, refused.status, refused.headers
        _log_in(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", username="")


@bp.route("/logout", methods=["POST"])
def logout():
    record = current_web_session()
    if record is not None:
        end_session(record)
    session.clear()
    return redirect(url_for("auth_web.login"))
