"""The nightly jobs: used or expired sign-in codes, expired device tokens, old report caches
and old run records go; what is still current stays."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from server.auth.models import SigninCode
from server.people.models import DeviceToken
from server.reporting.models import CachedReport
from server.scheduling import housekeeping, jobs
from server.scheduling.models import JobRun

NOW = datetime(2027, 6, 1, 20, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def _code(db, user, name, **times):
    code = SigninCode(code_hash=name.ljust(64, "0"), user_id=user.id,
                      created_at=NOW - 60 * DAY, expires_at=times.pop("expires_at", NOW + DAY),
                      **times)
    db.session.add(code)
    return code


def test_sign_in_codes_used_revoked_or_expired_long_ago_are_deleted(db, factory):
    volunteer = factory.user("vol", "volunteer")
    _code(db, volunteer, "used-long-ago", used_at=NOW - 31 * DAY)
    _code(db, volunteer, "revoked-long-ago", revoked_at=NOW - 40 * DAY)
    _code(db, volunteer, "expired-long-ago", expires_at=NOW - 31 * DAY)
    kept = [_code(db, volunteer, "unused"), _code(db, volunteer, "used-lately", used_at=NOW - DAY),
            _code(db, volunteer, "expired-lately", expires_at=NOW - 2 * DAY)]
    db.session.flush()
    assert housekeeping.expire_signin_codes(NOW) == {"deleted": 3}
    left = set(db.session.scalars(select(SigninCode.code_hash)))
    assert left == {code.code_hash for code in kept}


def test_device_tokens_expired_long_ago_are_deleted(db, factory):
    volunteer = factory.user("vol", "volunteer")
    factory.token(volunteer, name="old")
    factory.token(volunteer, name="current")
    factory.token(volunteer, name="lately expired")
    for token in db.session.scalars(select(DeviceToken)):
        token.expires_at = {"old": NOW - 31 * DAY, "current": NOW + 30 * DAY,
                            "lately expired": NOW - DAY}[token.name]
    db.session.flush()
    assert housekeeping.expire_device_tokens(NOW) == {"deleted": 1}
    assert sorted(db.session.scalars(select(DeviceToken.name))) == ["current", "lately expired"]


def test_old_report_caches_and_run_records_are_purged(db, factory):
    unit = factory.unit("Phường Hoa Lư", "ward")
    round_ = factory.round(units=[unit])
    for lang, age in (("vi", 91), ("en", 10)):
        db.session.add(CachedReport(round_id=round_.id, unit_id=unit.id, lang=lang,
                                    fingerprint="f" * 64, pdf=b"%PDF", created_at=NOW - age * DAY))
    db.session.add_all([JobRun(job_name="x", due_at=NOW - 31 * DAY),
                        JobRun(job_name="x", due_at=NOW - DAY)])
    db.session.flush()
    assert housekeeping.purge_report_caches(NOW) == {"deleted": 1}
    assert list(db.session.scalars(select(CachedReport.lang))) == ["en"]
    assert housekeeping.purge_job_runs(NOW) == {"deleted": 1}
    assert [run.due_at for run in db.session.scalars(select(JobRun))] == [NOW - DAY]


def test_the_nightly_jobs_run_through_the_runner_once_a_night(app, db, factory):
    volunteer = factory.user("vol", "volunteer")
    _code(db, volunteer, "expired-long-ago", expires_at=NOW - 31 * DAY)
    db.session.commit()
    assert jobs.run_job("expire-signin-codes", NOW) == {"deleted": 1}
    assert jobs.run_job("expire-signin-codes", NOW + timedelta(hours=3)) is None
    (run,) = db.session.scalars(select(JobRun).where(JobRun.job_name == "expire-signin-codes"))
    assert run.due_at == NOW and run.outcome == "ok: {'deleted': 1}"
