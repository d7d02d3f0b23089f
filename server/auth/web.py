"""Session login for officials and admins (the web pages)."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from server.auth.login import LOGIN_MESSAGES, LoginRefused, check_login
from server.extensions import db
from server.people.models import User

bp = Blueprint("auth_web", __name__)


def current_web_user() -> User | None:
    # No caching in `g`: session.get() uses the identity map, and tests reuse one app context.
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.is_active else None


def web_login_required(roles: tuple[str, ...] | None = None):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_web_user()
            if user is None:
                return redirect(url_for("auth_web.login", next=request.full_path))
            if roles and user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        try:
            user = check_login(request.form.get("username", ""), request.form.get("password", ""),
                               request.remote_addr or "")
        except LoginRefused as refused:
            db.session.commit()
            flash(LOGIN_MESSAGES[refused.code][0], "error")
            status = 429 if refused.code == "too_many_attempts" else 401
            return render_template("login.html", username=request.form.get("username", "")), status
        db.session.commit()
        session.clear()
        session["user_id"] = user.id
        session.permanent = True
        return redirect(_safe_next(request.args.get("next")))
    return render_template("login.html", username="")


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth_web.login"))
