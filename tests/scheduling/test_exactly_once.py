"""Each job runs once per due time, even with two scheduler processes started by mistake,
and a run missed while no scheduler was up runs once when one returns. The jobs are driven
with a controlled clock (`now`), never by waiting."""

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from server.audit.models import AuditEntry
from server.extensions import db as _db
from server.rounds.models import Round
from server.scheduling import JOBSTORE_TABLE, build_scheduler, jobs
from server.scheduling.models import JobRun
from server.scheduling.schedule import JOBS, ScheduledJob

pytestmark = pytest.mark.db

T = datetime(2027, 5, 1, 0, 2, tzinfo=UTC)


@dataclass(frozen=True)
class CountingJob(ScheduledJob):
    """A job that counts its runs (and lingers a moment, so a racer can catch it running)."""

    calls: list = None

    def function(self):
        def count(now):
            self.calls.append(now)
            time.sleep(0.05)
            return len(self.calls)
        return count


@pytest.fixture
def counting(monkeypatch):
    job = CountingJob("count", "unused:unused", timedelta(minutes=5), calls=[])
    monkeypatch.setitem(JOBS, job.name, job)
    return job


def _runs(name: str) -> list[JobRun]:
    return list(_db.session.scalars(select(JobRun).where(JobRun.job_name == name)))


def _race(app, target, threads: int = 2) -> list:
    """Run target() in `threads` threads at once, each in its own app context."""
    barrier, results, errors = threading.Barrier(threads), [], []

    def worker():
        with app.app_context():
            barrier.wait()
            try:
                results.append(target())
            except Exception as error:  # reported below, not lost in the thread
                errors.append(error)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_slots_are_fixed_so_every_process_computes_the_same_due_time():
    job = JOBS["open-close-rounds"]
    assert job.due_at(T) == datetime(2027, 5, 1, 0, 0, tzinfo=UTC)
    assert job.due_at(T + timedelta(minutes=3)) == datetime(2027, 5, 1, 0, 5, tzinfo=UTC)
    nightly = JOBS["expire-signin-codes"]
    assert nightly.due_at(T) == datetime(2027, 4, 30, 20, 0, tzinfo=UTC)  # 03:00 in Vietnam


def test_two_threads_racing_on_one_due_time_run_the_job_once(app, committed_db, counting):
    results = _race(app, lambda: jobs.run_job(counting, T))
    assert sorted(results, key=str) == [1, None]
    assert len(counting.calls) == 1
    (run,) = _runs("count")
    assert run.due_at == counting.due_at(T) and run.finished_at is not None
    assert run.outcome == "ok: 1"


def test_a_later_slot_runs_again_and_a_slot_that_ran_is_skipped(app, committed_db, counting):
    assert jobs.run_job(counting, T) == 1
    assert jobs.run_job(counting, T + timedelta(minutes=1)) is None  # same slot
    # the scheduler was down for hours: the slot it returns in runs, once
    back = T + timedelta(hours=6, minutes=2)
    assert jobs.run_job(counting, back) == 2
    assert jobs.run_job(counting, back) is None
    assert [run.due_at for run in _runs("count")] == [counting.due_at(T), counting.due_at(back)]


def test_a_failing_job_records_its_error_and_the_next_slot_runs(app, committed_db, monkeypatch):
    @dataclass(frozen=True)
    class Failing(ScheduledJob):
        def function(self):
            def fail(now):
                raise RuntimeError("boom")
            return fail

    job = Failing("failing", "unused:unused", timedelta(minutes=5))
    with pytest.raises(RuntimeError):
        jobs.run_job(job, T)
    (run,) = _runs("failing")
    assert run.outcome == "error: RuntimeError: boom" and run.finished_at is not None


def test_two_threads_opening_rounds_at_the_same_time_open_each_once(app, committed_db,
                                                                     factory_committed):
    round_ = factory_committed.round(opens_at=T - timedelta(minutes=1),
                                     closes_at=T + timedelta(days=30))
    committed_db.session.commit()
    _race(app, lambda: jobs.run_job("open-close-rounds", T))
    committed_db.session.expire_all()
    assert committed_db.session.get(Round, round_.id).status == "open"
    opened = committed_db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "round.opened", AuditEntry.object_id == str(round_.id)))
    assert opened == 1
    assert len(_runs("open-close-rounds")) == 1


def _wait_for(condition, timeout: float = 30.0) -> None:
    """Wait for the schedulers' threads (not for a clock): poll until done or fail."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the schedulers did not run the jobs"
        time.sleep(0.05)


def test_two_schedulers_started_by_mistake_run_each_job_once(app, committed_db, counting,
                                                             monkeypatch):
    monkeypatch.setattr(jobs, "clock", lambda: T)
    schedulers = [build_scheduler(app), build_scheduler(app)]
    for scheduler in schedulers:
        scheduler.start(paused=True)
    try:
        for scheduler in schedulers:
            scheduler.resume()  # both find every job due now

        def all_finished() -> bool:
            with app.app_context():
                finished = _db.session.scalar(select(func.count()).select_from(JobRun).where(
                    JobRun.finished_at.is_not(None)))
                _db.session.remove()
            return finished >= len(JOBS)

        _wait_for(all_finished)
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)  # lets any second attempt finish first
        with _db.engine.begin() as connection:  # stopped schedulers leave the store alone
            connection.execute(text(f"DELETE FROM {JOBSTORE_TABLE}"))
    committed_db.session.expire_all()
    assert len(counting.calls) == 1
    per_job = dict(committed_db.session.execute(
        select(JobRun.job_name, func.count()).group_by(JobRun.job_name)).all())
    assert per_job == dict.fromkeys(JOBS, 1)
