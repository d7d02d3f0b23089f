"""The scheduled jobs and their slots.

A job's due times are fixed slots counted from a fixed epoch, never from when a process
happened to start: every scheduler process computes the same due time for a run, which is
what lets the run record (job name + due time) make it happen once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import import_module

# Slots count from here (00:00 UTC); an offset moves a daily job to a quiet hour.
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
NIGHT_IN_VIETNAM = timedelta(hours=20)  # 03:00 in Asia/Ho_Chi_Minh


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    target: str                 # "module:function", called with now; returns a summary
    every: timedelta
    offset: timedelta = timedelta(0)

    @property
    def first_slot(self) -> datetime:
        return EPOCH + self.offset

    def due_at(self, now: datetime) -> datetime:
        """The latest slot at or before now: the run this moment belongs to."""
        return self.first_slot + ((now - self.first_slot) // self.every) * self.every

    def function(self):
        module_name, _, function_name = self.target.partition(":")
        return getattr(import_module(module_name), function_name)


_MINUTES = timedelta(minutes=1)
JOBS = {job.name: job for job in (
    # Hourly: a round is made lead_days (30) ahead, an hour either way is nothing.
    ScheduledJob("create-upcoming-rounds", "server.rounds.recurring:create_upcoming_rounds",
                 60 * _MINUTES),
    ScheduledJob("open-close-rounds", "server.rounds.lifecycle:advance_round_statuses",
                 5 * _MINUTES),
    ScheduledJob("close-due-rounds", "server.scheduling.jobs:close_due_rounds", 5 * _MINUTES),
    # the country's and provinces' figures of open rounds, which a page view never builds
    ScheduledJob("warm-open-round-summaries",
                 "server.reporting.warming:warm_open_round_summaries", 5 * _MINUTES),
    # stored aggregates of open rounds: the delta folded in once it grows (analytics/refresh.py)
    ScheduledJob("refresh-aggregates", "server.analytics.refresh:refresh_aggregates",
                 10 * _MINUTES),
    ScheduledJob("expire-signin-codes", "server.scheduling.housekeeping:expire_signin_codes",
                 timedelta(days=1), NIGHT_IN_VIETNAM),
    ScheduledJob("expire-device-tokens", "server.scheduling.housekeeping:expire_device_tokens",
                 timedelta(days=1), NIGHT_IN_VIETNAM + 5 * _MINUTES),
    ScheduledJob("purge-report-caches", "server.scheduling.housekeeping:purge_report_caches",
                 timedelta(days=1), NIGHT_IN_VIETNAM + 10 * _MINUTES),
    ScheduledJob("purge-job-runs", "server.scheduling.housekeeping:purge_job_runs",
                 timedelta(days=1), NIGHT_IN_VIETNAM + 15 * _MINUTES),
)}
