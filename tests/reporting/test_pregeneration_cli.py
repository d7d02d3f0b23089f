"""`flask reports pregenerate` and `flask reports runs`, and a pre-generation process killed
outright (SIGKILL): the next run makes only the reports it had not committed."""

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from server.reporting.cli import reports_cli
from server.reporting.models import CachedReport
from server.reporting.pregeneration import run_pregeneration
from server.reporting.pregeneration_models import PregenerationRun
from tests.conftest import ROOT
from tests.reporting.test_pregeneration import PLANNED, committed_dataset, count_renders

# A pre-generation in a process of its own, each PDF slowed down so it can be killed midway.
SLOW_RUN = """
import sys, time
from server import create_app
from server.reporting import services
from server.reporting.pregeneration import run_pregeneration

draw = services.render_round_report
def slow(summary, lang):
    time.sleep(0.4)
    return draw(summary, lang)
services.render_round_report = slow
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "TESTING": True,
                  "ENVIRONMENT": "testing", "SECRET_KEY": "test", "SCHEDULER_ENABLED": False})
with app.app_context():
    run_pregeneration(int(sys.argv[2]), workers=1)
"""


@pytest.fixture
def closed(committed_db, factory_committed):
    return committed_dataset(committed_db, factory_committed)


def _stored(engine, round_id: int) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(CachedReport)
                                 .where(CachedReport.round_id == round_id))


def test_the_command_prints_progress_and_the_figures(app, closed, committed_db):
    runner = app.test_cli_runner()
    result = runner.invoke(reports_cli, ["pregenerate", str(closed.previous.id)])
    assert result.exit_code == 0, result.output
    assert f"{PLANNED}/{PLANNED} reports: {PLANNED} made" in result.output
    assert (f"Round {closed.previous.id}: {PLANNED} reports planned, {PLANNED} made, "
            "0 already current, 0 failed in ") in result.output
    vi_line = result.output.index("every Vietnamese (vi) report current after ")
    assert vi_line < result.output.index("every English (en) report current after ")
    again = runner.invoke(reports_cli, ["pregenerate", str(closed.previous.id), "--workers", "1"])
    assert f"0 made, {PLANNED} already current" in again.output
    runs = runner.invoke(reports_cli, ["runs", str(closed.previous.id)])
    assert runs.output.count("finished") == 2, runs.output


def test_the_command_fails_when_a_report_is_not_made(app, closed, committed_db, monkeypatch):
    count_renders(monkeypatch, fail_unit=closed.province.id)   # in this process: one worker
    result = app.test_cli_runner().invoke(reports_cli, ["pregenerate", str(closed.previous.id),
                                                        "--workers", "1"])
    assert result.exit_code == 1
    assert f"{PLANNED - 1} made, 0 already current, 1 failed" in result.output
    assert "run the command again" in result.output


def test_an_unknown_round_is_a_short_error(app, committed_db):
    result = app.test_cli_runner().invoke(reports_cli, ["pregenerate", "987654"])
    assert result.exit_code == 1 and "no round 987654" in result.output


def test_a_killed_run_is_resumed_without_redoing_what_it_committed(
        app, closed, committed_db, monkeypatch, tmp_path):
    round_id = closed.previous.id
    committed_db.session.remove()   # no transaction of ours open while it writes (SQLite)
    engine = committed_db.engine
    environment = {**os.environ, "LANG_NGHE_INSTANCE": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-c", SLOW_RUN,
                                app.config["SQLALCHEMY_DATABASE_URI"], str(round_id)],
                               cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while _stored(engine, round_id) < 2 and process.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=30)
    kept = _stored(engine, round_id)
    assert 2 <= kept < PLANNED

    committed_db.session.remove()
    dead = committed_db.session.scalar(select(PregenerationRun))
    assert dead.finished_at is None and dead.planned == PLANNED    # seen as not finished
    drawn = count_renders(monkeypatch)
    resumed = run_pregeneration(round_id, workers=1)
    assert len(drawn) == resumed.made == PLANNED - kept
    assert resumed.skipped == kept and resumed.complete
    assert _stored(engine, round_id) == PLANNED
