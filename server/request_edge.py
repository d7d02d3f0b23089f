"""Bounds on what a request can make the application do before a view looks at it:
body size (app-wide and per route), JSON nesting and numbers, ids in URL paths."""

from flask import Flask, Request, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream, get_input_stream

from server.api_fields import ID_MAX, ID_MIN
from server.json_provider import BoundedJSONProvider


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number no id column can hold matches no route (404)
    instead of reaching the database (OverflowError on SQLite, DataError on PostgreSQL).
    flask-smorest documents the bounds as the path parameter's minimum and maximum."""

    def __init__(self, map, fixed_digits=0, min=ID_MIN, max=ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class _MaxLengthStream(LimitedStream):
    """A body sent without a Content-Length (chunked), read up to max_content_length.
    werkzeug's own stream stops there and hands back what it read as if it were the whole
    body (a cut JSON document: a misleading 400); this one answers 413 when more follows."""

    def __init__(self, source, limit: int):
        super().__init__(source, limit, is_max=True)
        self._source = source

    def readinto(self, buffer) -> int | None:
        count = super().readinto(buffer)
        if self.is_exhausted and self._source.read(1):
            raise RequestEntityTooLarge()
        return count


class BoundedRequest(Request):
    @cached_property
    def stream(self):
        if self.shallow:
            raise RuntimeError("A shallow request's body cannot be read.")
        limit = self.max_content_length
        if limit is not None and self.content_length is None \
                and "wsgi.input_terminated" in self.environ:
            return _MaxLengthStream(self.environ["wsgi.input"], limit)
        return get_input_stream(self.environ, max_content_length=limit)


def _apply_route_body_limit() -> None:
    # Registered before any hook that reads the body (CSRF reads the form), so it applies there too.
    rule = request.url_rule
    limit = current_app.config["ROUTE_MAX_CONTENT_LENGTH"].get(rule.rule) if rule else None
    if limit is not None:
        request.max_content_length = limit


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: routes pick their converter when added."""
    app.request_class = BoundedRequest
    app.json = BoundedJSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.before_request(_apply_route_body_limit)
