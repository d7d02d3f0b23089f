"""Scratch PostgreSQL databases for the operations tests, which run the project's commands as
an operator would (subprocesses in the project folder). They need PostgreSQL on
127.0.0.1:5432 (user postgres); without one they skip, except under CI=true, where they fail.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("OPS_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin_connection():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)


def postgres_reachable() -> bool:
    try:
        _admin_connection().close()
    except Exception:  # any connection failure: no PostgreSQL here
        return False
    return True


@pytest.fixture
def scratch_database():
    """Make a fresh, empty PostgreSQL database; yield a factory of more; drop them all after."""
    if not postgres_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"CI=true but no PostgreSQL at {PG_ADMIN_URL}")
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL} (the operations tests need one)")
    made = []

    def make() -> str:
        name = "ops_" + uuid.uuid4().hex[:12]
        with _admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    yield make
    with _admin_connection() as connection:
        for name in made:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def operator_env(tmp_path: Path, **settings: str) -> dict:
    """A plain shell's environment: no FLASK_APP (make exports one), no test settings."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"FLASK_APP", "TEST_DATABASE_URL", "DATABASE_URL", "SECRET_KEY",
                          "LANG_NGHE_ENV", "FLASK_ENV", "SCHEDULER_ENABLED"}}
    env["LANG_NGHE_INSTANCE"] = str(tmp_path / "instance")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    return env


def run_command(args: list[str], env: dict, stdin: str | None = None,
                timeout: float = 120) -> subprocess.CompletedProcess:
    """Run `.venv/bin/<args[0]> ...` from the project folder, as the README says."""
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=timeout)
