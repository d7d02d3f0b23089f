"""Recurring plans: "twice a year, 1–31 May and 1–30 November". The job makes each round
lead_days before it opens, from the previous round, across year boundaries."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.rounds import recurring
from server.rounds.models import Round
from server.rounds.services import RoundRuleError, set_unit_targets, targets_of
from server.rounds.windows import Window, parse_windows
from tests.conftest import DEFAULT_FORM

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MAY_AND_NOVEMBER = [{"open_month": 5, "open_day": 1, "close_month": 5, "close_day": 31},
                    {"open_month": 11, "open_day": 1, "close_month": 11, "close_day": 30}]


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN).astimezone(UTC)


@pytest.fixture
def setting(factory, db):
    """A November 2026 round in two groups of a ward (one with its own target)."""
    ward = factory.unit("Phường Hoa Lư", "ward")
    groups = [factory.unit(f"Tổ dân phố {i}", "residential_group", parent=ward) for i in (1, 2, 3)]
    version = factory.form_version()
    template = factory.round(version, groups, opens_at=vn(2026, 11, 1),
                             closes_at=vn(2026, 11, 30, 23, 59, 59), target_per_unit=30,
                             title="Khảo sát hài lòng – đợt 2 năm 2026")
    template.late_policy = "refuse"
    set_unit_targets(template, {groups[0].id: 45})
    admin = factory.user("admin", "admin")
    db.session.commit()
    return {"ward": ward, "groups": groups, "version": version, "template": template,
            "admin": admin}


def _plan(setting, windows=MAY_AND_NOVEMBER, lead_days=30):
    return recurring.create_plan(setting["template"], "Khảo sát hài lòng", windows, lead_days,
                                 setting["admin"].id)


def test_windows_are_real_days_and_do_not_overlap():
    assert parse_windows(MAY_AND_NOVEMBER) == [Window(5, 1, 5, 31), Window(11, 1, 11, 30)]
    assert parse_windows([{"open_month": 2, "open_day": 29, "close_month": 3, "close_day": 1}])
    for bad in ([], [{"open_month": 2, "open_day": 30, "close_month": 3, "close_day": 1}],
                [{"open_month": 13, "open_day": 1, "close_month": 1, "close_day": 1}],
                [{"open_month": 5, "open_day": 1, "close_month": 6, "close_day": 15},
                 {"open_month": 6, "open_day": 1, "close_month": 6, "close_day": 30}],
                [{"open_month": 5, "open_day": "1", "close_month": 5, "close_day": 31}]):
        with pytest.raises(RoundRuleError):
            parse_windows(bad)


def test_a_window_in_vietnam_time_is_stored_in_utc():
    opens, closes = Window(5, 1, 5, 31).in_year(2027, VN)
    assert opens == datetime(2027, 4, 30, 17, 0, tzinfo=UTC)
    assert closes == datetime(2027, 5, 31, 16, 59, 59, tzinfo=UTC)
    opens, closes = Window(12, 15, 1, 15).in_year(2027, VN)  # crosses the new year
    assert (opens.year, closes.astimezone(VN).date().isoformat()) == (2027, "2028-01-15")


def test_the_plan_lists_the_coming_rounds(db, setting):
    plan = _plan(setting)
    assert setting["template"].recurring_plan_id == plan.id
    coming = recurring.coming_rounds(plan, vn(2026, 12, 1), limit=3)
    assert [(c.opens_at, c.created_at) for c in coming] == [
        (vn(2027, 5, 1), vn(2027, 5, 1) - timedelta(days=30)),
        (vn(2027, 11, 1), vn(2027, 11, 1) - timedelta(days=30)),
        (vn(2028, 5, 1), vn(2028, 5, 1) - timedelta(days=30))]
    assert coming[0].closes_at == vn(2027, 5, 31, 23, 59, 59)


def test_the_job_makes_the_next_round_across_the_year_boundary(db, factory, setting):
    plan = _plan(setting)
    made_at = vn(2027, 5, 1) - timedelta(days=30)
    assert recurring.create_upcoming_rounds(made_at - timedelta(minutes=1))["created"] == []

    # the form gets a new published version meanwhile; a group is deactivated
    definition = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))
    definition["title"]["vi"] += " (v2)"
    newer = factory.form_version(definition)
    assert newer.form_id == setting["version"].form_id and newer.version == 2
    setting["groups"][2].is_active = False

    result = recurring.create_upcoming_rounds(made_at)
    (round_id,) = result["created"]
    made = db.session.get(Round, round_id)
    assert (made.opens_at, made.closes_at) == (vn(2027, 5, 1), vn(2027, 5, 31, 23, 59, 59))
    assert made.form_version_id == newer.id
    assert made.recurring_plan_id == plan.id and made.status == "scheduled"
    assert made.title == "Khảo sát hài lòng – 01/05–31/05/2027"
    assert [u.id for u in made.units] == [g.id for g in setting["groups"][:2]]
    assert targets_of(made.id) == {setting["groups"][0].id: 45, setting["groups"][1].id: None}
    assert made.target_per_unit == 30 and made.late_policy == "refuse"
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "round.created", AuditEntry.object_id == str(made.id)))
    assert entry.actor_id is None and entry.details["source_round_id"] == setting["template"].id

    # run again (another slot, same day): nothing more
    assert recurring.create_upcoming_rounds(made_at + timedelta(hours=1))["created"] == []

    # November copies May (its changed target), not the template
    set_unit_targets(made, {setting["groups"][1].id: 12})
    november = recurring.create_upcoming_rounds(vn(2027, 10, 2))["created"]
    assert len(november) == 1
    assert targets_of(november[0])[setting["groups"][1].id] == 12


def test_a_window_crossing_the_new_year_closes_in_the_next_year(db, setting):
    template = setting["template"]
    winter = [{"open_month": 12, "open_day": 15, "close_month": 1, "close_day": 15}]
    _plan(setting, winter, lead_days=10)
    (round_id,) = recurring.create_upcoming_rounds(vn(2026, 12, 5))["created"]
    made = db.session.get(Round, round_id)
    assert made.opens_at == vn(2026, 12, 15) and made.closes_at == vn(2027, 1, 15, 23, 59, 59)
    assert made.closes_at > template.closes_at
    (following,) = recurring.create_upcoming_rounds(vn(2027, 12, 5))["created"]
    assert db.session.get(Round, following).closes_at == vn(2028, 1, 15, 23, 59, 59)


def test_a_window_missed_entirely_is_skipped_not_made_late(db, setting):
    plan = _plan(setting)
    assert recurring.create_upcoming_rounds(vn(2027, 6, 2))["created"] == []
    assert recurring.coming_rounds(plan, vn(2027, 6, 2), limit=1)[0].opens_at == vn(2027, 11, 1)
    # down at the lead time but back before the close: the round is still made
    (late,) = recurring.create_upcoming_rounds(vn(2027, 11, 3))["created"]
    assert db.session.get(Round, late).opens_at == vn(2027, 11, 1)


def test_a_paused_plan_makes_nothing_and_a_plan_needs_a_published_form(db, setting):
    plan = _plan(setting)
    recurring.set_active(plan, False, setting["admin"].id)
    assert recurring.create_upcoming_rounds(vn(2027, 4, 15))["created"] == []
    recurring.set_active(plan, True, setting["admin"].id)
    setting["version"].status = "archived"
    db.session.flush()
    result = recurring.create_upcoming_rounds(vn(2027, 4, 15))
    assert result == {"created": [],
                      "skipped": [f"plan {plan.id}: no published version of the form"]}


def test_plan_fields_are_checked(db, setting):
    with pytest.raises(RoundRuleError):
        _plan(setting, lead_days=400)
    with pytest.raises(RoundRuleError):
        recurring.create_plan(setting["template"], "ab", MAY_AND_NOVEMBER, 30, None)
