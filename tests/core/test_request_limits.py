"""Request bodies are bounded: app-wide (MAX_CONTENT_LENGTH) and tighter per route (a login),
answered with 413 in the error shape before the body is read."""

import gzip

import pytest
from werkzeug.test import EnvironBuilder

from tests.conftest import auth_header

MIB = 1024 * 1024


class CountingBody:
    """A request body of `size` bytes, made as it is read; counts what the application reads."""

    def __init__(self, size: int):
        self.size = size
        self.consumed = 0

    def read(self, n: int | None = -1) -> bytes:
        left = self.size - self.consumed
        n = left if n is None or n < 0 else min(n, left)
        self.consumed += n
        return b" " * n


def _post_streamed(app, path: str, body: CountingBody, declare_length: bool, headers=None):
    """POST a body that is made as it is read: with a Content-Length, or streamed without one
    (chunked; the server says it ends the stream, as gunicorn does)."""
    environ = EnvironBuilder(path=path, method="POST", content_type="application/json",
                             headers=headers).get_environ()
    environ["wsgi.input"] = body
    if declare_length:
        environ["CONTENT_LENGTH"] = str(body.size)
    else:
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True
    return app.response_class.from_app(app, environ, buffered=True)


def _assert_error_shape(response, status: int, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["code"] == code and error["message"]


def test_a_60_mb_login_is_refused_without_being_read(app):
    body = CountingBody(60 * MIB)
    response = _post_streamed(app, "/api/v1/auth/token", body, declare_length=True)
    _assert_error_shape(response, 413, "payload_too_large")
    assert body.consumed == 0  # refused on its declared length


def test_a_login_streamed_without_a_length_stops_at_the_route_limit(app):
    body = CountingBody(60 * MIB)
    response = _post_streamed(app, "/api/v1/auth/token", body, declare_length=False)
    _assert_error_shape(response, 413, "payload_too_large")
    assert body.consumed <= app.config["ROUTE_MAX_CONTENT_LENGTH"]["/api/v1/auth/token"] + 64 * 1024


def test_a_login_over_16_kib_is_refused_and_an_ordinary_one_works(client, factory):
    factory.user("tnv.an", "volunteer", password="mật khẩu dài")
    login = {"username": "tnv.an", "password": "mật khẩu dài", "device_name": "Redmi 9A"}
    response = client.post("/api/v1/auth/token", json=login)
    assert response.status_code == 200 and response.get_json()["token"]
    response = client.post("/api/v1/auth/token", json={**login, "device_name": "x" * 16 * 1024})
    _assert_error_shape(response, 413, "payload_too_large")


def test_the_web_login_form_is_bounded_too(app):
    response = app.test_client().post("/login", data={"username": "a", "password": "x" * 20000})
    assert response.status_code == 413


@pytest.mark.parametrize("compressed", [False, True])
def test_the_app_wide_limit_refuses_big_bodies_but_leaves_submissions_their_own(
        client, factory, compressed):
    """Any body over MAX_CONTENT_LENGTH (room for a form definition of thousands of questions)
    is refused unread; /submissions keeps its own limit (2 MB after gunzip), which the
    app-wide one must not cut."""
    app = client.application
    assert app.config["MAX_CONTENT_LENGTH"] >= 4 * MIB
    admin, volunteer = factory.user("admin", "admin"), factory.user("tnv.binh", "volunteer")
    body = CountingBody(app.config["MAX_CONTENT_LENGTH"] + 1)
    response = _post_streamed(app, "/api/v1/units", body, declare_length=True,
                              headers=auth_header(factory.token(admin)))
    _assert_error_shape(response, 413, "payload_too_large")
    assert body.consumed == 0

    batch = b'{"submissions": []' + b" " * (2 * MIB - 100) + b"}"  # blank space is valid JSON
    headers = auth_header(factory.token(volunteer))
    if compressed:
        batch = gzip.compress(batch)
        headers["Content-Encoding"] = "gzip"
    response = client.post("/api/v1/submissions", data=batch, headers=headers,
                           content_type="application/json")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"results": []}
