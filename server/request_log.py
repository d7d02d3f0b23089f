"""One log line per request: request id, user, route, status and time taken.

    request id=3f2a… user=12 method=POST route=/api/v1/submissions status=200 ms=41.7

The request id comes from the reverse proxy's X-Request-Id when it sends a sane one (so
nginx's and our lines can be matched), else it is made here; it is echoed back in the
response's X-Request-Id header, and other log lines of the request can carry it
(`current_request_id()`).
"""

import logging
import re
import time
import uuid

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger("lang_nghe.request")

HEADER = "X-Request-Id"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# In the WSGI environ rather than `g`: tests reuse one app context (and its `g`) across
# requests; a request's environ is its own.
_ID_KEY = "lang_nghe.request_id"
_START_KEY = "lang_nghe.request_start"
_WEB_SESSION_KEY = "lang_nghe.web_session"  # server.auth.web caches the resolved session here


def current_request_id() -> str:
    return request.environ.get(_ID_KEY, "-") if has_request_context() else "-"


def _start() -> None:
    sent = request.headers.get(HEADER, "")
    request.environ[_ID_KEY] = sent if _SANE_ID.fullmatch(sent) else uuid.uuid4().hex
    request.environ[_START_KEY] = time.perf_counter()


def _user_id() -> int | str:
    """Who made the request: the token's user (API) or the web session's, when this request
    resolved one. The user's id comes from the identity map, no query; a web session's row
    was expired by the request's commit, so reading its user_id may cost one primary-key
    SELECT (after the commit: it never holds a write lock). Never fails the response."""
    user = g.get("current_user")
    if user is not None:
        identity = inspect(user).identity
        if identity:
            return identity[0]
    web_session = request.environ.get(_WEB_SESSION_KEY)
    if web_session is not None:
        try:
            return web_session.user_id
        except SQLAlchemyError:
            return "?"
    return "-"


def _finish(response: Response) -> Response:
    request_id = request.environ.get(_ID_KEY) or uuid.uuid4().hex
    response.headers[HEADER] = request_id
    started = request.environ.get(_START_KEY, time.perf_counter())
    route = request.url_rule.rule if request.url_rule is not None else "-"
    log.info("request id=%s user=%s method=%s route=%s status=%d ms=%.1f", request_id,
             _user_id(), request.method, route, response.status_code,
             (time.perf_counter() - started) * 1000)
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)


UPLOAD_OUTCOMES = ("created", "duplicate", "conflict", "rejected")


def log_upload_outcome(results: list[dict]) -> None:
    """Once per uploaded batch: how many of its items were created, duplicates, conflicts or
    rejected (an evening's sync health at a glance; rejected ones are worth a look)."""
    counts = dict.fromkeys(UPLOAD_OUTCOMES, 0)
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    log.info("upload id=%s user=%s items=%d %s", current_request_id(), _user_id(), len(results),
             " ".join(f"{status}={count}" for status, count in counts.items()))
