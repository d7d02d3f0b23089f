"""A second web worker on the test database, a controllable clock, and logging in."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from server import create_app
from server.db_types import utcnow
from server.extensions import db as _db


@pytest.fixture
def worker(app, committed_db):
    """Another app on the same (committed) database, as a second gunicorn worker would be.
    The test's app context belongs to `app`, so every request to this one pushes and tears
    down its own context and session, the way production runs."""
    other = create_app({
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "TESTING": True,
        "ENVIRONMENT": "testing",
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SCHEDULER_ENABLED": False,
    })
    yield other
    with other.app_context():
        _db.engine.dispose()


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def session_clock(monkeypatch):
    """The clock the web sessions read, moved by the test."""
    clock = Clock(utcnow())
    monkeypatch.setattr("server.auth.web_sessions.utcnow", clock)
    return clock


def csrf_token(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def web_login(client, username: str, password: str):
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return response
