"""One transaction per request: committed once when the view answers < 400, rolled back
otherwise; on SQLite, reads never take the write lock and lock errors answer 503."""

import re
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server import create_app
from server.errors import ApiError
from server.extensions import db as _db
from server.people.models import DeviceToken
from server.units.models import Unit
from server.units.services import create_unit
from tests.conftest import ROOT, auth_header

# Modules that are their own unit of work (a command, a scheduler job, the demo seed) and
# the request boundary itself: the only places allowed to commit.
# The request's one commit, the CLI, and jobs (pre-generation commits each report it makes:
# a crash keeps what was made).
COMMITTING_MODULES = {"server/transactions.py", "server/cli.py", "server/forms/cli.py",
                      "server/scheduling/jobs.py", "server/reporting/pregeneration.py",
                      # scheduled jobs' bodies: each round or summary its own unit of work
                      "server/analytics/refresh.py", "server/reporting/warming.py"}
COMMITTING_PACKAGES = ("server/demo/",)


@pytest.fixture
def sqlite_app(tmp_path):
    """An app of its own on a SQLite file, with a short busy timeout and two test routes."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own.db'}",
                      "TESTING": True, "SECRET_KEY": "test", "SCHEDULER_ENABLED": False,
                      "SQLITE_BUSY_TIMEOUT_MS": 300})

    @app.post("/api/v1/_test/units/<outcome>")
    def make_unit(outcome):
        create_unit(f"Tổ {outcome}", "residential_group")
        if outcome == "fails":
            raise ApiError(409, "test_refused", "Từ chối.")
        return {"ok": True}

    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _unit_count(app) -> int:
    with app.app_context():
        return _db.session.scalar(select(func.count(Unit.id)))


def test_the_request_commits_on_success_and_rolls_back_on_error(sqlite_app):
    client = sqlite_app.test_client()
    assert client.post("/api/v1/_test/units/succeeds").status_code == 200
    refused = client.post("/api/v1/_test/units/fails")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "test_refused"
    assert _unit_count(sqlite_app) == 1


def test_no_view_or_service_commits_on_its_own():
    offenders = []
    for path in sorted((ROOT / "server").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in COMMITTING_MODULES or relative.startswith(COMMITTING_PACKAGES):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"session\.commit\(\)", line):
                offenders.append(f"{relative}:{number}")
    assert offenders == []


def test_a_get_authenticated_by_token_keeps_the_token_last_use(app, committed_db,
                                                              factory_committed):
    volunteer = factory_committed.user(role="volunteer")
    token = factory_committed.token(volunteer)
    committed_db.session.commit()
    client = app.test_client()
    assert client.get("/api/v1/rounds", headers=auth_header(token)).status_code == 200
    with committed_db.engine.connect() as connection:  # what another worker would see
        last_used = connection.scalar(select(DeviceToken.last_used_at))
    assert last_used is not None


def test_a_long_read_does_not_block_a_writer_on_sqlite(sqlite_app):
    writer_error = []

    def write_while_read_is_open():
        try:
            with sqlite_app.test_request_context("/api/v1/units", method="POST"):
                create_unit("Tổ ghi", "residential_group")
                _db.session.commit()
        except Exception as error:  # noqa: BLE001  (reported to the test thread)
            writer_error.append(error)

    with sqlite_app.test_request_context("/api/v1/rounds/1/export.csv", method="GET"):
        _db.session.scalar(select(func.count(Unit.id)))  # the read transaction is open
        writer = threading.Thread(target=write_while_read_is_open)
        writer.start()
        writer.join(timeout=10)
        _db.session.rollback()
    assert writer_error == []
    assert _unit_count(sqlite_app) == 1


def test_a_held_write_lock_answers_503_with_retry_after(sqlite_app):
    path = Path(sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        busy = sqlite_app.test_client().post("/api/v1/_test/units/succeeds")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"].isdigit()
    assert busy.get_json()["error"]["code"] == "database_busy"
    assert _unit_count(sqlite_app) == 0
