"""deploy/'s backup and restore, as the operator runs them: a database with a round of
answers is dumped by deploy/backup.sh, restored by deploy/restore.sh into a fresh database,
and every report comes out of the copy identical (summary figures and PDF text)."""

import io
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from reports.pdf import render_round_report
from server import create_app
from server.analytics.build import build_round_summary
from server.extensions import db
from server.reporting.services import summary_options
from server.rounds.models import Round
from server.units.models import Unit
from tests.ops.conftest import ROOT, operator_env, run_command

pytestmark = [pytest.mark.db, pytest.mark.slow]

REPORT_TIME = datetime(2027, 5, 2, 8, 0, tzinfo=UTC)  # fixed: the PDF prints it


def _reports(database_url: str) -> dict:
    """Every (round, unit) report of the database: its summary and its PDF's text."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test-secret", "SCHEDULER_ENABLED": False})
    made = {}
    try:
        with app.app_context():
            units = db.session.scalars(select(Unit).where(
                Unit.kind.not_in(["residential_group", "village"])).order_by(Unit.code)).all()
            for round_ in db.session.scalars(select(Round).order_by(Round.id)):
                for unit in units:
                    summary = build_round_summary(db.session, round_, unit, summary_options(),
                                                  now=REPORT_TIME)
                    pdf = render_round_report(summary, "vi")
                    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
                    made[(round_.title, unit.code)] = (summary, text)
            db.session.rollback()
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return made


def test_a_restored_backup_gives_identical_reports(scratch_database, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        pytest.skip("pg_dump, pg_restore and psql are needed (the postgresql-client package)")
    live = scratch_database()
    env = operator_env(tmp_path, DATABASE_URL=live, DEMO_PASSWORD="mat-khau-demo")
    for step in (["flask", "db", "upgrade"], ["flask", "seed-demo"]):
        done = run_command(step, env, timeout=300)
        assert done.returncode == 0, done.stderr

    backup = run_command_script("backup.sh", [], {**env, "BACKUP_DIR": str(tmp_path / "dumps")})
    dump = backup.stdout.strip().splitlines()[-1]
    assert dump.endswith(".dump") and (tmp_path / "dumps").exists()

    copy = scratch_database()
    restored = run_command_script("restore.sh", [dump, copy], env)
    assert "Restored" in restored.stdout
    again = run_command_script("restore.sh", [dump, copy], env, check=False)
    assert again.returncode != 0 and "fresh" in again.stderr  # never over a database in use

    before, after = _reports(live), _reports(copy)
    assert len(before) >= 4
    assert any(summary.coverage.responses for summary, _ in before.values())
    assert before.keys() == after.keys()
    for key, (summary, text) in before.items():
        assert after[key][0] == summary, key
        assert after[key][1] == text, key


def run_command_script(name: str, args: list[str], env: dict, check: bool = True):
    done = subprocess.run([str(ROOT / "deploy" / name), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done
