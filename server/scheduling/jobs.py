"""Scheduled jobs. Each takes ids (never ORM objects) and runs inside an app context."""

import logging
from importlib import import_module

import click
from flask import Flask, current_app

log = logging.getLogger(__name__)

_app: Flask | None = None

# job id -> "module:function" run every `minutes`
PERIODIC_JOBS = {
    "close-due-rounds": ("server.scheduling.jobs:close_due_rounds", 5),
}


def bind_app(app: Flask) -> None:
    global _app
    _app = app


def run_in_app(target: str, *args) -> None:
    """Entry point stored in the job store: import the target and run it in an app context."""
    if _app is None:
        raise RuntimeError("scheduler jobs need an app: call server.scheduling.init_app first")
    module_name, _, function_name = target.partition(":")
    function = getattr(import_module(module_name), function_name)
    with _app.app_context():
        function(*args)


def register_periodic_jobs(scheduler) -> None:
    for job_id, (target, minutes) in PERIODIC_JOBS.items():
        scheduler.add_job(run_in_app, "interval", args=[target], minutes=minutes, id=job_id,
                          replace_existing=True)


def close_due_rounds() -> list[int]:
    """Pre-generate the reports of rounds that have closed and not been reported yet."""
    from server.extensions import db
    from server.reporting.services import pregenerate_round_reports
    from server.rounds.services import rounds_due_for_reports

    done = []
    for round_id in rounds_due_for_reports():
        pregenerate_round_reports(round_id)  # marks the round's reports_generated_at
        db.session.commit()
        done.append(round_id)
        log.info("reports pre-generated for round %s", round_id)
    return done


@click.command("scheduler")
def scheduler_command():
    """Run the scheduler in the foreground (its own process in production)."""
    from server.scheduling import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object(), blocking=True)
    click.echo("Scheduler running; jobs: " + ", ".join(PERIODIC_JOBS))
    scheduler.start()
