"""Fixtures for every suite: an app per session, a rolled-back database per test,
factories for the domain objects.

Database tests run on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from flask import request_started
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import text

from server import create_app
from server.extensions import db as _db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FORM = ROOT / "forms" / "resident_survey.json"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
DB_FIXTURES = {"db", "committed_db", "factory", "factory_committed", "client", "live_server"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


def pytest_report_header(config):
    return f"database: {TEST_DATABASE_URL or 'sqlite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "ENVIRONMENT": "testing",
        "SECRET_KEY": "test-secret",
        "SCHEDULER_ENABLED": False,
    })
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    with app.app_context():
        _drop_everything()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _drop_everything():
    _db.drop_all()
    with _db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        connection.execute(text("DROP TABLE IF EXISTS scheduler_jobs"))


class _BoundSession(FlaskSession):
    """A session that always uses the test's connection (and its outer transaction)."""

    def get_bind(self, *args, **kwargs):
        return self.bind


def _commit_setup(sender, **extra):
    _db.session.commit()


@pytest.fixture
def db(app):
    """The database, inside a transaction that is rolled back after the test.
    Commits in the code under test become savepoints. The app context stays pushed for the
    whole test, so test-client requests share it (and `g`): never cache per-request data in `g`
    across requests."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session({
            "bind": connection, "class_": _BoundSession,
            "join_transaction_mode": "create_savepoint",
        })
        # What the test set up is committed before each request, as it would be in
        # production; a request that fails then rolls back its own work only.
        request_started.connect(_commit_setup, app)
        try:
            yield _db
        finally:
            request_started.disconnect(_commit_setup, app)
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def committed_db(app):
    """The real database with real commits (for threads and other processes);
    every table is emptied afterwards."""
    with app.app_context():
        try:
            yield _db
        finally:
            _db.session.remove()
            with _db.engine.begin() as connection:
                for table in reversed(_db.metadata.sorted_tables):
                    connection.execute(table.delete())


@pytest.fixture
def client(app, db):
    return app.test_client()


def auth_header(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Factory:
    """Builds domain objects through the services, as the application does."""

    def __init__(self, database):
        self.db = database
        self._counter = 0

    def _next(self) -> int:
        self._counter += 1
        return self._counter

    def unit(self, name=None, kind="commune", parent=None, code=None):
        from server.units.services import create_unit
        return create_unit(name or f"Đơn vị {self._next()}", kind, parent=parent, code=code)

    def user(self, username=None, role="volunteer", units=(), password="pw", display_name=None):
        from server.people.services import create_user
        return create_user(username or f"user{self._next()}", password, role,
                           display_name=display_name, units=list(units))

    def token(self, user, lifetime_days=60, name="test device") -> str:
        from server.auth.tokens import issue_token
        return issue_token(user, lifetime_days, name).token

    def form_version(self, definition=None):
        from server.forms.services import publish_definition
        if definition is None:
            definition = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))
        return publish_definition(definition)

    def round(self, form_version=None, units=(), opens_at=None, closes_at=None,
              target_per_unit=20, title=None, status="scheduled"):
        from server.db_types import utcnow
        from server.rounds.services import create_round
        now = utcnow()
        return create_round(
            title or f"Đợt khảo sát {self._next()}", form_version or self.form_version(), list(units),
            opens_at or now - timedelta(days=1), closes_at or now + timedelta(days=30),
            target_per_unit=target_per_unit, status=status)

    def response(self, round, unit, volunteer, answers, uuid=None, completed_at=None, **kw):
        import hashlib
        import uuid as uuid_lib

        from server.db_types import utcnow
        from server.sync.models import Response
        completed_at = completed_at or utcnow()
        body = json.dumps(answers, sort_keys=True, ensure_ascii=False)
        response = Response(
            uuid=uuid or str(uuid_lib.uuid4()), round_id=round.id,
            form_version_id=round.form_version_id, unit_id=unit.id, volunteer_id=volunteer.id,
            started_at=kw.pop("started_at", completed_at - timedelta(minutes=8)),
            completed_at=completed_at, received_at=kw.pop("received_at", utcnow()),
            answers=answers, skipped=kw.pop("skipped", []),
            content_hash=hashlib.sha256(body.encode()).hexdigest(), **kw)
        self.db.session.add(response)
        self.db.session.flush()
        return response


@pytest.fixture
def factory(db):
    return Factory(db)


@pytest.fixture
def factory_committed(committed_db):
    """Factories on the real database (use with committed_db; commit yourself)."""
    return Factory(committed_db)


# Browser tests (tests/pwa, tests/admin): one Playwright driver for the whole session, since
# only one sync driver may run in a process.
@pytest.fixture(scope="session")
def browser_executable() -> str:
    from tests.pwa.pwa_browser import chromium_path
    on_ci = os.environ.get("CI", "").lower() == "true"
    path = chromium_path()
    if path is None:
        reason = ("NO CHROMIUM FOUND (install Debian's chromium or set CHROMIUM_PATH): "
                  "browser tests NOT RUN")
        if on_ci:
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if on_ci:
            pytest.fail("playwright is not installed")
        pytest.skip("PLAYWRIGHT NOT INSTALLED: browser tests NOT RUN")
    return path


@pytest.fixture(scope="session")
def playwright_driver(browser_executable):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as driver:
        yield driver

