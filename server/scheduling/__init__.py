"""APScheduler with its jobs stored in the application's database.

In production it runs as its own process (`flask scheduler`) so that several web workers
never fire a job twice; `make run` starts it inside the dev server (SCHEDULER_ENABLED=1).
"""

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.pool import NullPool

from server.scheduling import jobs

JOBSTORE_TABLE = "scheduler_jobs"


def build_scheduler(app: Flask, blocking: bool = False):
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    # NullPool: the store is read once a minute at most; holding no idle connection means
    # none is left open when the scheduler stops.
    store = SQLAlchemyJobStore(url=app.config["SQLALCHEMY_DATABASE_URI"], tablename=JOBSTORE_TABLE,
                               engine_options={"poolclass": NullPool})
    scheduler = scheduler_class(jobstores={"default": store}, timezone="UTC",
                                job_defaults={"coalesce": True, "max_instances": 1,
                                              "misfire_grace_time": 3600})
    jobs.register_periodic_jobs(scheduler)
    return scheduler


def init_app(app: Flask) -> None:
    jobs.bind_app(app)
    app.cli.add_command(jobs.scheduler_command)
    if app.config.get("SCHEDULER_ENABLED"):
        scheduler = build_scheduler(app)
        scheduler.start()
        app.extensions["scheduler"] = scheduler
