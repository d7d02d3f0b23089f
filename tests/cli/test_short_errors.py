"""An operator's mistakes get one actionable line, not a traceback: commands run before
migrating, a bad or unreachable DATABASE_URL, production without SECRET_KEY, a form file
that is not an .xlsx."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from server import create_app

ROOT = Path(__file__).resolve().parent.parent.parent
FLASK = Path(sys.executable).parent / "flask"


def _flask(tmp_path, *args, **settings) -> subprocess.CompletedProcess:
    """`.venv/bin/flask ARGS` from the project folder, as in a plain shell (no FLASK_APP)."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"FLASK_APP", "DATABASE_URL", "SECRET_KEY", "LANG_NGHE_ENV"}}
    env.update(LANG_NGHE_INSTANCE=str(tmp_path / "instance"), **settings)
    return subprocess.run([str(FLASK), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def _one_short_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) <= 2, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture
def unmigrated_app(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}",
                      "TESTING": True, "SECRET_KEY": "test-secret"})
    yield app
    with app.app_context():
        from server.extensions import db

        db.engine.dispose()


@pytest.mark.parametrize("args", [["seed-demo"], ["seed-demo", "--if-empty"],
                                  ["create-user", "admin", "--role", "admin",
                                   "--password", "mat-khau-dai"]])
def test_commands_before_migrating_say_to_run_db_upgrade(unmigrated_app, args):
    result = unmigrated_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "run `flask db upgrade` first" in result.output


def test_seed_demo_before_migrating_from_a_shell(tmp_path):
    result = _flask(tmp_path, "seed-demo", DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    _one_short_error(result, "flask db upgrade")


def test_an_unreachable_database_is_one_line(tmp_path):
    # Port 1 on localhost refuses at once: no server to wait for.
    result = _flask(tmp_path, "db", "upgrade",
                    DATABASE_URL="postgresql://postgres@127.0.0.1:1/lang_nghe")
    _one_short_error(result, "DATABASE_URL", "Connection refused")


def test_a_malformed_database_url_is_one_line(tmp_path):
    result = _flask(tmp_path, "db", "upgrade", DATABASE_URL="postgress://host/lang_nghe")
    _one_short_error(result, "DATABASE_URL is not a database URL")


def test_production_without_a_secret_key_is_one_line(tmp_path):
    result = _flask(tmp_path, "db", "upgrade", LANG_NGHE_ENV="production",
                    DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    _one_short_error(result, "SECRET_KEY", "secrets.token_hex")


def test_forms_import_refuses_a_file_that_is_not_xlsx(app, tmp_path):
    table = tmp_path / "survey.csv"
    table.write_text("type,name,label\ntext,q1,Q1\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["forms", "import", str(table)])
    assert result.exit_code == 1
    assert "needs an XLSForm .xlsx workbook" in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
