"""CSRF protection for the web pages: a per-session token in every form post."""

import hmac
import secrets

from flask import Flask, abort, request, session
from markupsafe import Markup

SESSION_KEY = "csrf_token"


def csrf_token() -> str:
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(32)
    return session[SESSION_KEY]


def csrf_input() -> Markup:
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token())


def _check_csrf():
    # The API authenticates with bearer tokens, not cookies, so it needs no CSRF token.
    if request.method in ("GET", "HEAD", "OPTIONS") or request.path.startswith("/api/"):
        return
    if request.routing_exception is not None:
        return  # no view will run (404, 405): nothing to protect, let routing answer
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    expected = session.get(SESSION_KEY, "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, "CSRF token missing or wrong")


def init_app(app: Flask) -> None:
    app.before_request(_check_csrf)
    app.jinja_env.globals["csrf_input"] = csrf_input
