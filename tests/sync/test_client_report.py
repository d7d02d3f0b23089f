"""Each sync records on the volunteer the time, the app version and the count of responses
the phone says are still waiting (X-App-Version, X-Queued-Count), on GET /me/assignments
and POST /submissions alike; what does not pass the checks is stored as unknown and never
fails the sync."""

import sqlite3
import threading
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_support import statuses, submit

from server import create_app
from server.db_types import utcnow
from server.extensions import db as _db
from server.people.models import User
from server.sync.client_report import APP_VERSION_MAX, QUEUED_MAX
from tests.conftest import auth_header


def _report(db, user) -> tuple:
    db.session.expire_all()
    user = db.session.get(User, user.id)
    return user.last_sync_at, user.last_app_version, user.last_queued_count


def _headers(area, version=None, queued=None) -> dict:
    headers = dict(area.headers)
    if version is not None:
        headers["X-App-Version"] = version
    if queued is not None:
        headers["X-Queued-Count"] = queued
    return headers


def test_fetching_assignments_records_the_sync(client, db, area):
    before = utcnow()
    answer = client.get("/api/v1/me/assignments", headers=_headers(area, "3f2a9c1d0b7e4a55", "12"))
    assert answer.status_code == 200
    synced_at, version, queued = _report(db, area.volunteer)
    assert synced_at >= before and (version, queued) == ("3f2a9c1d0b7e4a55", 12)


def test_an_unchanged_answer_is_a_sync_too(client, db, area):
    etag = client.get("/api/v1/me/assignments", headers=area.headers).headers["ETag"]
    first, _, _ = _report(db, area.volunteer)
    unchanged = client.get("/api/v1/me/assignments",
                           headers={**_headers(area, "1.5.0", "0"), "If-None-Match": etag})
    assert unchanged.status_code == 304
    synced_at, version, queued = _report(db, area.volunteer)
    assert synced_at >= first and (version, queued) == ("1.5.0", 0)


def test_a_batch_records_the_sync(client, db, area):
    answer = submit(client, _headers(area, "1.6.0", "3"), [area.item()])
    assert statuses(answer) == ["created"]
    synced_at, version, queued = _report(db, area.volunteer)
    assert synced_at is not None and (version, queued) == ("1.6.0", 3)


def test_without_the_headers_the_time_is_recorded_and_the_rest_unknown(client, db, area):
    client.get("/api/v1/me/assignments", headers=_headers(area, "1.5.0", "4"))
    assert statuses(submit(client, area, [area.item()])) == ["created"]
    synced_at, version, queued = _report(db, area.volunteer)
    assert synced_at is not None and (version, queued) == (None, None)


@pytest.mark.parametrize(("version", "queued", "stored"), [
    ("v" * (APP_VERSION_MAX + 1), "-1", None),
    ("   ", "1.5", None),
    ("1.0\x07", "abc", "1.0"),         # an invisible control is dropped, as in answers
    ("1.0", str(QUEUED_MAX + 1), "1.0"),
    ("1.0", "٣", "1.0"),                # a digit, but not an ASCII one
    ("1.0\xff", "1" * 40, None),        # not UTF-8
])
def test_values_that_do_not_pass_are_unknown_and_the_sync_still_succeeds(client, db, area,
                                                                        version, queued, stored):
    answer = client.get("/api/v1/me/assignments", headers=_headers(area, version, queued))
    assert answer.status_code == 200
    synced_at, stored_version, stored_queued = _report(db, area.volunteer)
    assert synced_at is not None and (stored_version, stored_queued) == (stored, None)


def test_a_utf8_app_version_is_read_as_sent_and_nfc(client, db, area):
    decomposed = unicodedata.normalize("NFD", "1.0-bản thử")
    sent = decomposed.encode().decode("latin-1")  # what a header carries on the wire
    assert client.get("/api/v1/me/assignments", headers=_headers(area, sent)).status_code == 200
    assert _report(db, area.volunteer)[1] == "1.0-bản thử"


def test_a_refused_request_records_nothing(client, db, area, factory):
    other = factory.token(factory.user("quantri", "admin"))
    answer = client.post("/api/v1/submissions", json={"submissions": [area.item()]},
                         headers={**auth_header(other), "X-App-Version": "9.9"})
    assert answer.status_code == 403
    bad_batch = client.post("/api/v1/submissions", json={"submissions": "no"},
                            headers=_headers(area, "9.9", "1"))
    assert bad_batch.status_code == 400
    assert _report(db, area.volunteer) == (None, None, None)


def test_the_openapi_document_describes_both_headers(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path, method in (("/api/v1/me/assignments", "get"), ("/api/v1/submissions", "post")):
        names = {p["name"]: p for p in spec["paths"][path][method]["parameters"]
                 if p["in"] == "header"}
        assert names["X-App-Version"]["schema"]["maxLength"] == APP_VERSION_MAX
        assert names["X-Queued-Count"]["schema"] == {"type": "integer", "minimum": 0,
                                                     "maximum": QUEUED_MAX}


# --- on SQLite, the bookkeeping of a GET never makes it fail -----------------------------

@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own.db'}",
                      "TESTING": True, "SECRET_KEY": "test", "SCHEDULER_ENABLED": False,
                      "SQLITE_BUSY_TIMEOUT_MS": 200})
    with app.app_context():
        _db.create_all()
        from server.auth.tokens import issue_token
        from server.people.services import create_user
        volunteer = create_user("tnv.an", "pw", "volunteer")
        token = issue_token(volunteer, 60, "phone").token
        _db.session.commit()
    yield app, token
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _stored_sync(app) -> tuple:
    with app.app_context():
        user = _db.session.scalar(select(User).where(User.username == "tnv.an"))
        return user.last_sync_at, user.last_app_version, user.last_queued_count


def test_the_sync_is_committed_by_a_real_request(sqlite_app):
    app, token = sqlite_app
    answers = []
    # its own thread: the request's app context ends as in production
    thread = threading.Thread(target=lambda: answers.append(app.test_client().get(
        "/api/v1/me/assignments",
        headers={**auth_header(token), "X-App-Version": "2.0.1", "X-Queued-Count": "5"})))
    thread.start()
    thread.join(30)
    assert answers[0].status_code == 200
    synced_at, version, queued = _stored_sync(app)
    assert synced_at > utcnow() - timedelta(minutes=1) and (version, queued) == ("2.0.1", 5)


def test_a_busy_database_drops_the_bookkeeping_not_the_assignments(sqlite_app):
    app, token = sqlite_app
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another worker holds the write lock
    try:
        answer = app.test_client().get(
            "/api/v1/me/assignments", headers={**auth_header(token), "X-Queued-Count": "5"})
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert answer.status_code == 200 and answer.get_json() == {"rounds": []}
    assert _stored_sync(app) == (None, None, None)
