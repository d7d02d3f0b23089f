"""A round's life: opened and closed by the scheduler at its times, closed early, extended,
reopened and moved by an admin; every change audited with before and after."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.rounds import lifecycle
from server.rounds.services import RoundRuleError, accepts_late

T0 = datetime(2027, 5, 1, 3, 0, tzinfo=UTC)


def _entries(db, round_id, action):
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "round", AuditEntry.object_id == str(round_id),
        AuditEntry.action == action)).all()


@pytest.fixture
def planned(factory, db):
    unit = factory.unit("Tổ dân phố 1", "residential_group")
    round_ = factory.round(units=[unit], opens_at=T0, closes_at=T0 + timedelta(days=30))
    db.session.commit()
    return round_


def test_the_scheduler_opens_and_closes_a_round_at_its_times(db, planned):
    nothing = {"opened": [], "closed": []}
    assert lifecycle.advance_round_statuses(T0 - timedelta(minutes=1)) == nothing
    assert planned.status == "scheduled"

    assert lifecycle.advance_round_statuses(T0) == {"opened": [planned.id], "closed": []}
    assert planned.status == "open" and planned.effective_status(T0) == "open"
    (opened,) = _entries(db, planned.id, "round.opened")
    assert opened.actor_id is None and opened.details["by"] == "scheduler"
    assert opened.details["before"] == {"status": "scheduled"}
    assert opened.details["after"] == {"status": "open"}

    assert lifecycle.advance_round_statuses(T0 + timedelta(days=1)) == nothing
    closing = planned.closes_at
    assert lifecycle.advance_round_statuses(closing) == {"opened": [], "closed": [planned.id]}
    assert planned.status == "closed"
    (closed,) = _entries(db, planned.id, "round.closed")
    assert closed.details["before"] == {"status": "open"}
    assert lifecycle.advance_round_statuses(closing + timedelta(days=1)) == nothing


def test_a_round_whose_window_passed_while_the_scheduler_was_down_goes_straight_to_closed(
        db, planned):
    after = planned.closes_at + timedelta(hours=2)
    assert lifecycle.advance_round_statuses(after) == {"opened": [], "closed": [planned.id]}
    (closed,) = _entries(db, planned.id, "round.closed")
    assert closed.details["before"] == {"status": "scheduled"}
    assert _entries(db, planned.id, "round.opened") == []


def test_close_early_sets_the_close_to_now_and_is_audited(db, factory, planned):
    admin = factory.user("admin", "admin")
    now = T0 + timedelta(days=3)
    with pytest.raises(RoundRuleError):  # not open yet
        lifecycle.close_early(planned, admin.id, T0 - timedelta(days=1))
    lifecycle.close_early(planned, admin.id, now)
    assert planned.status == "closed" and planned.closes_at == now
    (entry,) = _entries(db, planned.id, "round.closed_early")
    assert entry.actor_id == admin.id
    assert entry.details["before"]["closes_at"] == (T0 + timedelta(days=30)).isoformat()
    assert entry.details["after"] == {"status": "closed", "opens_at": T0.isoformat(),
                                      "closes_at": now.isoformat()}
    # the scheduler, passing the old close time later, leaves it alone
    assert lifecycle.advance_round_statuses(T0 + timedelta(days=31))["closed"] == []


def test_extend_moves_the_close_later_only(db, factory, planned):
    admin = factory.user("admin", "admin")
    now = T0 + timedelta(days=3)
    with pytest.raises(RoundRuleError) as refused:
        lifecycle.extend(planned, planned.closes_at - timedelta(days=1), admin.id, now)
    assert refused.value.code == "not_later"
    later = planned.closes_at + timedelta(days=7)
    lifecycle.extend(planned, later, admin.id, now)
    assert planned.closes_at == later
    (entry,) = _entries(db, planned.id, "round.extended")
    assert entry.details["after"]["closes_at"] == later.isoformat()
    lifecycle.close_early(planned, admin.id, now)
    with pytest.raises(RoundRuleError) as closed:
        lifecycle.extend(planned, later + timedelta(days=1), admin.id, now)
    assert closed.value.code == "round_closed"


def test_reopen_opens_a_closed_round_until_a_new_close_and_makes_its_reports_again(
        db, factory, planned):
    admin = factory.user("admin", "admin")
    after = planned.closes_at + timedelta(days=2)
    lifecycle.advance_round_statuses(after)
    planned.reports_generated_at = after
    with pytest.raises(RoundRuleError) as past:
        lifecycle.reopen(planned, after - timedelta(hours=1), admin.id, after)
    assert past.value.code == "close_in_past"
    until = after + timedelta(days=5)
    lifecycle.reopen(planned, until, admin.id, after)
    assert planned.status == "open" and planned.closes_at == until
    assert planned.effective_status(after) == "open" and planned.reports_generated_at is None
    (entry,) = _entries(db, planned.id, "round.reopened")
    assert entry.details["before"]["status"] == "closed"
    assert entry.details["after"]["status"] == "open"
    with pytest.raises(RoundRuleError):
        lifecycle.reopen(planned, until, admin.id, after)  # it is open now


def test_reschedule_moves_a_planned_round_but_not_a_started_one(db, factory, planned):
    admin = factory.user("admin", "admin")
    before_open = T0 - timedelta(days=5)
    new_open, new_close = T0 + timedelta(days=1), T0 + timedelta(days=20)
    with pytest.raises(RoundRuleError):
        lifecycle.reschedule(planned, new_close, new_open, admin.id, before_open)
    lifecycle.reschedule(planned, new_open, new_close, admin.id, before_open)
    assert (planned.opens_at, planned.closes_at) == (new_open, new_close)
    with pytest.raises(RoundRuleError) as started:
        lifecycle.reschedule(planned, new_open, new_close + timedelta(days=1), admin.id,
                             new_open + timedelta(hours=1))
    assert started.value.code == "round_started"


def test_settings_are_all_checked_before_any_is_applied(db, factory, planned):
    admin = factory.user("admin", "admin")
    title = planned.title
    with pytest.raises(RoundRuleError):
        lifecycle.update_settings(planned, admin.id, title="Tên mới hợp lệ", target_per_unit=0)
    assert planned.title == title
    changed = lifecycle.update_settings(planned, admin.id, title="Tên mới hợp lệ",
                                        target_per_unit=25, late_policy="refuse")
    assert changed == {"title": [title, "Tên mới hợp lệ"], "target_per_unit": [20, 25],
                       "late_policy": ["accept", "refuse"]}
    (entry,) = _entries(db, planned.id, "round.updated")
    assert entry.details["before"]["late_policy"] == "accept"
    assert entry.details["after"]["late_policy"] == "refuse"


def test_late_policy_decides_whether_late_responses_are_accepted(db, planned):
    assert accepts_late(planned)
    planned.late_policy = "refuse"
    assert not accepts_late(planned)
