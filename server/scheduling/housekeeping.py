"""Scheduler jobs that clear out what has stopped mattering: used or expired sign-in codes,
expired device tokens, old report caches, old job-run records. Each takes `now`; the
retention periods (days) may be set in the app config."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_

from server.auth.models import SigninCode
from server.extensions import db
from server.people.models import DeviceToken
from server.reporting.models import CachedReport
from server.scheduling.models import JobRun

RETENTION_DAYS = {
    # A card's code stays a while after use or expiry, so "already used" can be told apart.
    "SIGNIN_CODE_RETENTION_DAYS": 30,
    "DEVICE_TOKEN_RETENTION_DAYS": 30,
    # Reports are made again on demand; a cache this old is rarely asked for.
    "REPORT_CACHE_RETENTION_DAYS": 90,
    "JOB_RUN_RETENTION_DAYS": 30,
}


def _cutoff(now: datetime, setting: str) -> datetime:
    return now - timedelta(days=int(current_app.config.get(setting, RETENTION_DAYS[setting])))


def _delete(statement) -> int:
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def expire_signin_codes(now: datetime) -> dict:
    """Delete sign-in codes used, revoked or expired longer ago than the retention period.
    (An expired code is refused at sign-in whatever happens here.)"""
    before = _cutoff(now, "SIGNIN_CODE_RETENTION_DAYS")
    return {"deleted": _delete(delete(SigninCode).where(or_(
        SigninCode.used_at < before, SigninCode.revoked_at < before,
        SigninCode.expires_at < before)))}


def expire_device_tokens(now: datetime) -> dict:
    """Delete device tokens expired longer ago than the retention period."""
    before = _cutoff(now, "DEVICE_TOKEN_RETENTION_DAYS")
    return {"deleted": _delete(delete(DeviceToken).where(DeviceToken.expires_at < before))}


def purge_report_caches(now: datetime) -> dict:
    before = _cutoff(now, "REPORT_CACHE_RETENTION_DAYS")
    return {"deleted": _delete(delete(CachedReport).where(CachedReport.created_at < before))}


def purge_job_runs(now: datetime) -> dict:
    """Old run records go; a slot that old can never be due again."""
    before = _cutoff(now, "JOB_RUN_RETENTION_DAYS")
    return {"deleted": _delete(delete(JobRun).where(JobRun.due_at < before))}
