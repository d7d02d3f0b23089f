"""The warm-open-round-summaries job: every five minutes, once per slot, it makes the open
rounds' broad summaries that are missing or stale (server/reporting/warming.py)."""

from datetime import timedelta

from sqlalchemy import select

from server.db_types import utcnow
from server.reporting import summaries
from server.reporting.models import CachedSummary
from server.scheduling import jobs
from server.scheduling.models import JobRun
from tests.reporting.conftest import survey_data

JOB = "warm-open-round-summaries"


def test_the_job_runs_every_five_minutes_once_a_slot(app, db, factory, monkeypatch):
    # the dataset's province (5 groups) made a national one's size: a view does not build it
    monkeypatch.setattr(summaries, "INLINE_UNITS", 4)
    dataset = survey_data.build_dataset(db, factory)
    db.session.commit()
    assert jobs.JOBS[JOB].every == timedelta(minutes=5)
    now = utcnow()
    assert jobs.run_job(JOB, now) == "1 summaries made, 0 left"
    assert jobs.run_job(JOB, jobs.JOBS[JOB].due_at(now)) is None        # same slot
    (run,) = db.session.scalars(select(JobRun).where(JobRun.job_name == JOB))
    assert run.outcome == "ok: 1 summaries made, 0 left"
    stored = db.session.scalars(select(CachedSummary.unit_id).where(
        CachedSummary.round_id == dataset.current.id))
    assert list(stored) == [dataset.province.id]
    # the next slot finds nothing stale
    assert jobs.run_job(JOB, now + timedelta(minutes=5)) == "0 summaries made, 0 left"
