"""The migrations build the same schema as the models, and go down and up again."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from server import create_app
from server.extensions import db
from tests.conftest import TEST_DATABASE_URL

pytestmark = pytest.mark.db


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database of the kind under test."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path}/migrations.db"
        return
    name = f"lang_nghe_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(TEST_DATABASE_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _drift(app) -> list:
    def include(obj, name, type_, reflected, compare_to):
        return not (type_ == "table" and name in ("scheduler_jobs", "alembic_version"))

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include, "render_as_batch": True})
        return compare_metadata(context, db.metadata)


def test_upgrade_gives_the_models_schema_then_down_and_up_again(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    with app.app_context():
        upgrade()
        assert _drift(app) == []
        tables = set(inspect(db.engine).get_table_names())
        assert {"units", "users", "responses", "rounds", "form_versions"} <= tables

        downgrade(revision="base")
        remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()

        upgrade()
        assert _drift(app) == []
        db.engine.dispose()


def test_migration_test_runs_on_the_configured_database(empty_database_url):
    expected = "postgresql" if TEST_DATABASE_URL else "sqlite"
    assert make_url(empty_database_url).get_backend_name() == expected
