from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from server.db_types import utcnow
from server.scheduling import build_scheduler, jobs

pytestmark = pytest.mark.db


def test_jobs_are_stored_in_the_application_database(app):
    scheduler = build_scheduler(app)
    scheduler.start(paused=True)
    try:
        stored_ids = {job.id for job in scheduler.get_jobs()}
        assert set(jobs.PERIODIC_JOBS) <= stored_ids
        store = scheduler._lookup_jobstore("default")
        assert str(store.engine.url) == str(create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).url)
        with store.engine.connect() as connection:
            rows = connection.execute(text("SELECT id FROM scheduler_jobs")).scalars().all()
        assert set(jobs.PERIODIC_JOBS) <= set(rows)
    finally:
        scheduler.remove_all_jobs()
        scheduler.shutdown(wait=True)


def test_every_job_is_due_for_its_current_slot_when_a_scheduler_starts(app):
    """A run missed while no scheduler was up happens once the scheduler returns: each job's
    next run is the slot now falls in (the run record skips it if it ran already)."""
    scheduler = build_scheduler(app)
    scheduler.start(paused=True)
    try:
        now = utcnow()
        for job in scheduler.get_jobs():
            scheduled = jobs.JOBS[job.id]
            assert job.next_run_time == scheduled.due_at(now) <= now
            assert job.coalesce and job.misfire_grace_time is None
    finally:
        scheduler.remove_all_jobs()
        scheduler.shutdown(wait=True)


def test_run_in_app_runs_the_job_inside_an_app_context(app, committed_db, factory_committed):
    from server.rounds.services import rounds_due_for_reports

    closed = factory_committed.round(opens_at=utcnow() - timedelta(days=40),
                                     closes_at=utcnow() - timedelta(days=1))
    factory_committed.round()  # still open: not due
    committed_db.session.commit()
    assert rounds_due_for_reports() == [closed.id]
    committed_db.session.commit()  # end the read: the job runs in its own app context
    jobs.bind_app(app)  # other tests create apps too; the scheduler process has just one
    jobs.run_in_app("close-due-rounds")
    committed_db.session.expire_all()
    committed_db.session.refresh(closed)
    assert closed.reports_generated_at is not None
    assert rounds_due_for_reports() == []
