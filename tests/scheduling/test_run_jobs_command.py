"""`flask run-jobs`: every job once for the slot of a given moment (to catch up by hand, or
to drive the scheduler's clock in an end-to-end test)."""

from datetime import UTC, datetime, timedelta

from server.rounds.models import Round


def test_run_jobs_opens_a_round_at_a_given_moment_once(app, committed_db, factory_committed):
    opens = datetime(2027, 5, 1, 0, 0, tzinfo=UTC)
    round_ = factory_committed.round(opens_at=opens, closes_at=opens + timedelta(days=30))
    committed_db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["run-jobs", "--job", "open-close-rounds",
                                "--now", "2027-05-01T07:03:00+07:00"])
    assert first.exit_code == 0, first.output
    assert f"open-close-rounds: {{'opened': [{round_.id}], 'closed': []}}" in first.output
    again = runner.invoke(args=["run-jobs", "--job", "open-close-rounds",
                                "--now", "2027-05-01T07:04:00+07:00"])
    assert "open-close-rounds: skipped (ran already)" in again.output
    committed_db.session.expire_all()
    assert committed_db.session.get(Round, round_.id).status == "open"


def test_run_jobs_needs_a_time_zone(app, committed_db):
    result = app.test_cli_runner().invoke(args=["run-jobs", "--now", "2027-05-01T07:03:00"])
    assert result.exit_code != 0 and "time zone" in result.output
