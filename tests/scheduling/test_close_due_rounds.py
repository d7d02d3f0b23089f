"""The close-due-rounds job pre-generates a closed round's reports (server/reporting/
pregeneration.py); a round with a report that failed stays due and the next slot makes only
what is missing; a round another process is working on is left to it."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from server.db_types import utcnow
from server.reporting import services
from server.reporting.models import CachedReport
from server.reporting.pregeneration_models import PregenerationRun
from server.rounds.models import Round
from server.rounds.services import rounds_due_for_reports
from server.scheduling.jobs import JOBS, run_job
from tests.reporting.conftest import survey_data

JOB = JOBS["close-due-rounds"]
PLANNED = 3 * 2   # the province, the ward and the commune; Vietnamese and English


@pytest.fixture
def closed(committed_db, factory_committed):
    dataset = survey_data.build_dataset(committed_db, factory_committed)
    committed_db.session.commit()
    round_id = dataset.previous.id
    committed_db.session.commit()   # end the read: the job runs its own transactions
    return round_id


def _reports(session, round_id: int) -> int:
    return session.scalar(select(func.count()).select_from(CachedReport)
                          .where(CachedReport.round_id == round_id))


def test_the_job_makes_the_reports_of_a_closed_round_and_marks_it(committed_db, closed):
    now = utcnow()
    assert run_job(JOB, now) == [closed]
    committed_db.session.expire_all()
    assert committed_db.session.get(Round, closed).reports_generated_at is not None
    assert _reports(committed_db.session, closed) == PLANNED
    run = committed_db.session.scalar(select(PregenerationRun))
    assert (run.planned, run.made, run.failed) == (PLANNED, PLANNED, 0) and run.finished_at
    assert rounds_due_for_reports(now) == []


def test_a_round_with_a_failed_report_stays_due_and_the_next_slot_finishes_it(
        app, committed_db, closed, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_PREGEN_WORKERS", 1)   # the fault is in this process
    draw = services.render_round_report
    drawn = []

    def failing(summary, lang):
        if summary.unit.kind == "province" and lang == "vi":
            raise RuntimeError("out of paper")
        drawn.append((summary.unit.id, lang))
        return draw(summary, lang)

    monkeypatch.setattr(services, "render_round_report", failing)
    now = utcnow()
    assert run_job(JOB, now) == []
    assert _reports(committed_db.session, closed) == PLANNED - 1
    assert rounds_due_for_reports(now) == [closed]

    monkeypatch.setattr(services, "render_round_report",
                        lambda summary, lang: drawn.append((summary.unit.id, lang))
                        or draw(summary, lang))
    drawn.clear()
    assert run_job(JOB, now + JOB.every) == [closed]
    assert [lang for _, lang in drawn] == ["vi"]          # only the one missing
    committed_db.session.expire_all()
    assert committed_db.session.get(Round, closed).reports_generated_at is not None
    runs = committed_db.session.scalars(select(PregenerationRun).order_by(PregenerationRun.id))
    assert [(run.made, run.skipped, run.failed) for run in runs] == [
        (PLANNED - 1, 0, 1), (1, PLANNED - 1, 0)]


def test_a_round_being_pre_generated_elsewhere_is_left_to_that_run(committed_db, closed):
    now = utcnow()
    committed_db.session.add(PregenerationRun(round_id=closed, started_at=now,
                                              updated_at=now - timedelta(minutes=1)))
    committed_db.session.commit()
    assert run_job(JOB, now) == []
    assert _reports(committed_db.session, closed) == 0


def test_a_run_that_died_long_ago_does_not_hold_the_round(committed_db, closed):
    long_ago = utcnow() - timedelta(hours=1)
    committed_db.session.add(PregenerationRun(round_id=closed, started_at=long_ago,
                                              updated_at=long_ago))
    committed_db.session.commit()
    assert run_job(JOB, utcnow()) == [closed]
    assert _reports(committed_db.session, closed) == PLANNED
