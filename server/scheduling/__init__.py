"""APScheduler with its jobs stored in the application's database.

In production it runs as its own process (`flask scheduler`) so that several web workers
never fire a job twice; `make run` starts it inside the dev server (SCHEDULER_ENABLED=1).
Should two schedulers run by mistake, each job still runs once per due time (see jobs.py).
"""

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.pool import NullPool

from server.scheduling import jobs

JOBSTORE_TABLE = "scheduler_jobs"


def _store_engine_options(app: Flask) -> dict:
    # NullPool: the store is read once a minute at most; holding no idle connection means
    # none is left open when the scheduler stops.
    options = {"poolclass": NullPool}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Wait for SQLite's write lock like the app does: an error updating the store
        # would stop the scheduler's loop (APScheduler does not catch it there).
        seconds = app.config.get("SQLITE_BUSY_TIMEOUT_MS", 10000) / 1000
        options["connect_args"] = {"timeout": seconds}
    return options


def build_scheduler(app: Flask, blocking: bool = False):
    jobs.bind_app(app)
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    store = SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"], tablename=JOBSTORE_TABLE,
                               engine_options=_store_engine_options(app))
    # coalesce: runs missed while down become one; no misfire limit: however late the
    # scheduler returns, the missed run still happens (once, by its run record).
    scheduler = scheduler_class(jobstores={"default": store}, timezone="UTC",
                                job_defaults={"coalesce": True, "max_instances": 1,
                                              "misfire_grace_time": None})
    jobs.register_periodic_jobs(scheduler)
    return scheduler


def init_app(app: Flask) -> None:
    jobs.bind_app(app)
    app.cli.add_command(jobs.scheduler_command)
    app.cli.add_command(jobs.run_jobs_command)
    if app.config.get("SCHEDULER_ENABLED"):
        scheduler = build_scheduler(app)
        scheduler.start()
        app.extensions["scheduler"] = scheduler
