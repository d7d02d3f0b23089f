"""Who is calling a read-only report endpoint: the logged-in web session first (an official
clicking "download" in the page), then a bearer token (the API)."""

from functools import wraps

from flask import current_app, g, request

from server.auth.api_auth import authenticate_request, forbidden
from server.auth.web import current_web_user


def current_caller():
    user = current_web_user()
    if user is not None:
        g.current_user = user
        return user
    return authenticate_request()


def session_or_token_required(roles: tuple[str, ...] | None = None):
    """For GET endpoints only: a session cookie carries no CSRF protection for writes."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                raise RuntimeError("session_or_token_required is for read-only endpoints")
            user = current_caller()
            if roles and user.role not in roles:
                raise forbidden()
            return current_app.ensure_sync(view)(*args, **kwargs)

        return wrapper

    return decorator
