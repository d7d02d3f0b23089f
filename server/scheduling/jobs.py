"""Running the scheduled jobs: exactly once per job and due time, however many scheduler
processes run. Jobs take ids and times (never ORM objects), run in an app context and
commit themselves: a job is its own unit of work.

A run first inserts its JobRun row (unique job name + due time) and commits that, in its
own transaction; another process computing the same due time fails that insert and skips.
A run missed while no scheduler was up belongs to the current slot: every scheduler, on
start, runs each job for the current slot (the claim skips it if it ran already).
"""

import logging
import signal
from datetime import datetime

import click
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from server.db_types import utcnow
from server.extensions import db
from server.scheduling.models import JobRun
from server.scheduling.schedule import JOBS, ScheduledJob

log = logging.getLogger(__name__)

PERIODIC_JOBS = JOBS  # the name earlier code and tests use
OUTCOME_MAX = 500

_app: Flask | None = None


def bind_app(app: Flask) -> None:
    global _app
    _app = app


def clock() -> datetime:
    """The scheduler's time; tests replace it to drive the jobs."""
    return utcnow()


def claim(job_name: str, due_at: datetime) -> int | None:
    """Insert and commit the run record, before any work; None when another process
    got there first."""
    run = JobRun(job_name=job_name, due_at=due_at, started_at=utcnow())
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run.id


def _finish(run_id: int, outcome: str) -> None:
    run = db.session.get(JobRun, run_id)
    run.finished_at, run.outcome = utcnow(), outcome[:OUTCOME_MAX]
    db.session.commit()


def run_job(job: ScheduledJob | str, now: datetime | None = None):
    """Run the job for the slot `now` falls in, unless that slot ran already (returns None
    then). What the job did is committed before its run is marked finished."""
    job = JOBS[job] if isinstance(job, str) else job
    now = now or clock()
    due_at = job.due_at(now)
    run_id = claim(job.name, due_at)
    if run_id is None:
        log.info("job %s for %s ran already: skipped", job.name, due_at.isoformat())
        return None
    try:
        result = job.function()(now)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("job %s for %s failed", job.name, due_at.isoformat())
        _finish(run_id, f"error: {type(error).__name__}: {error}")
        raise
    _finish(run_id, f"ok: {result}")
    return result


def run_in_app(job_name: str) -> None:
    """Entry point stored in the job store: run the job inside an app context."""
    if _app is None:
        raise RuntimeError("scheduler jobs need an app: call server.scheduling.init_app first")
    with _app.app_context():
        run_job(JOBS[job_name])


def register_periodic_jobs(scheduler, now: datetime | None = None) -> None:
    """Store every job with its fixed slots; its next run is the current slot, so a run
    missed while no scheduler was up happens now (once: the claim sees a slot that ran)."""
    now = now or utcnow()
    for job in JOBS.values():
        trigger = IntervalTrigger(seconds=int(job.every.total_seconds()),
                                  start_date=job.first_slot, timezone="UTC")
        scheduler.add_job(run_in_app, trigger, args=[job.name], id=job.name,
                          name=job.name, replace_existing=True, next_run_time=job.due_at(now))


def close_due_rounds(now: datetime) -> list[int]:
    """Pre-generate the reports of rounds that have closed and not been reported yet
    (server/reporting/pregeneration.py: fanned out over worker processes, each report
    committed on its own). Returns the rounds whose reports are now all current; a round
    with a report that failed stays due, and the next slot makes only what is missing.
    A round another process is pre-generating right now is left to it."""
    from server.reporting.pregeneration import run_pregeneration, running_elsewhere
    from server.rounds.services import rounds_due_for_reports

    done = []
    for round_id in rounds_due_for_reports(now):
        if running_elsewhere(round_id):
            log.info("reports of round %s are being pre-generated elsewhere: skipped", round_id)
            continue
        figures = run_pregeneration(round_id)
        if figures.complete:
            done.append(round_id)
        else:
            log.warning("round %s: %s of %s reports current, %s failed (last error: %s); "
                        "the next slot makes the rest", round_id,
                        figures.made + figures.skipped, figures.planned, figures.failed,
                        figures.last_error)
    return done


def _exit_on_signal(signum, frame):
    raise SystemExit(0)


@click.command("scheduler")
def scheduler_command():
    """Run the scheduler in the foreground (its own process in production)."""
    from server.scheduling import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object(), blocking=True)
    # systemd stops a service with SIGTERM, a terminal with SIGINT: both end the loop the
    # way APScheduler documents (SystemExit/KeyboardInterrupt out of start()), then running
    # jobs are let finish and the process exits 0 instead of dying mid-job.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    click.echo("Scheduler running; jobs: " + ", ".join(JOBS))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    if scheduler.running:
        scheduler.shutdown(wait=True)
    click.echo("Scheduler stopped.")


@click.command("run-jobs")
@click.option("--job", "names", multiple=True, type=click.Choice(sorted(JOBS)),
              help="Only this job (repeatable); default: every job.")
@click.option("--now", "now_text", default=None,
              help="Run as at this moment (ISO 8601 with a zone), e.g. to catch up or test.")
def run_jobs_command(names, now_text):
    """Run the scheduled jobs once for the current slot (each at most once per slot)."""
    now = utcnow()
    if now_text:
        now = datetime.fromisoformat(now_text)
        if now.tzinfo is None:
            raise click.BadParameter("give a time zone, e.g. +07:00", param_hint="--now")
    for name in names or JOBS:
        result = run_job(JOBS[name], now)
        click.echo(f"{name}: {'skipped (ran already)' if result is None else result}")
