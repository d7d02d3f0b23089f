"""The progress numbers: per unit and per volunteer, the pace, late and rejected counts, the
daily series, and the same counts as the report's coverage table."""

import importlib.util
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, update

from server.analytics.build import build_round_summary
from server.progress.pace import round_pace
from server.progress.services import round_progress
from server.progress.sorting import UNIT_SORTS, VOLUNTEER_SORTS, sorted_rows
from server.rounds.models import round_units
from server.sync.exclusion import exclude_response

_SPEC = importlib.util.spec_from_file_location(
    "survey_data", Path(__file__).parents[1] / "analytics" / "survey_data.py")
survey_data = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(survey_data)


def _rows(progress) -> dict:
    return {row.name: row for row in progress.rows}


def test_province_rows_count_targets_pace_late_and_rejected(world):
    admin = world.users["admin"]
    progress = round_progress(world.round, admin, None, now=world.now)
    assert progress.scope.id == world.province.id            # the admin's one top unit
    rows = _rows(progress)
    assert set(rows) == {"Phường Hoa Lư", "Xã Gia Viễn"}     # Yên Mô is not in the round
    a, b = rows["Phường Hoa Lư"], rows["Xã Gia Viễn"]
    # A: A1 5 counted (the rejected and the excluded do not count), A2 2; targets 10 + 4 + 10
    assert (a.responses, a.target, a.counts.late, a.counts.excluded) == (7, 24, 1, 1)
    # rejected: one on review, one UUID refused at upload (sent twice); the one stored since
    # does not count
    assert a.counts.rejected == 2
    assert (b.responses, b.target, b.counts.rejected) == (3, 20, 0)
    # 10 of 30 days: expected = target / 3, in whole responses
    assert (a.expected, a.shortfall, a.behind) == (8, 1, True)
    assert (b.expected, b.shortfall) == (6, 3)
    total = progress.total
    assert (total.responses, total.target, total.expected) == (10, 44, 14)
    assert progress.behind_units == 2                         # A3 and B2 have nothing yet
    assert all(row.has_children for row in progress.rows)


def test_down_to_each_residential_group(world):
    admin = world.users["admin"]
    progress = round_progress(world.round, admin, world.units["A"], now=world.now)
    rows = _rows(progress)
    assert set(rows) == {"Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"}
    assert (rows["Tổ dân phố 1"].responses, rows["Tổ dân phố 1"].target) == (5, 10)
    assert (rows["Tổ dân phố 2"].responses, rows["Tổ dân phố 2"].target,
            rows["Tổ dân phố 2"].expected) == (2, 4, 1)         # its own target
    assert (rows["Tổ dân phố 10"].responses, rows["Tổ dân phố 10"].shortfall) == (0, 3)
    ordered = [row.name for row in sorted_rows(progress.rows, UNIT_SORTS, "name", False)]
    assert ordered == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"]   # numbers by value
    behind_first = sorted_rows(progress.rows, UNIT_SORTS, "shortfall", True)
    assert behind_first[0].name == "Tổ dân phố 10"


def test_every_unit_of_the_round_view(world):
    progress = round_progress(world.round, world.users["admin"], None, view="all", now=world.now)
    assert {row.name for row in progress.rows} == {
        "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10", "Thôn Đồng Tâm", "Thôn Yên Trạch"}
    assert sum(row.responses for row in progress.rows) == progress.total.responses == 10


def test_volunteers_with_sync_state_and_idle_ones(world):
    progress = round_progress(world.round, world.users["admin"], None, now=world.now)
    by_name = {row.username: row for row in progress.volunteers}
    # the idle volunteer of A3 is listed; the one of Yên Mô (not in the round) is not
    assert set(by_name) == {"tnv.a", "tnv.b", "tnv.idle"}
    a = by_name["tnv.a"]
    assert (a.responses, a.counts.late, a.counts.rejected, a.counts.excluded) == (7, 1, 2, 1)
    assert (a.app_version, a.queued) == ("1.4.0", 2)
    assert a.last_sync_at == world.now - timedelta(hours=3)
    assert a.last_response_at is not None
    assert by_name["tnv.idle"].responses == 0 and by_name["tnv.idle"].last_sync_at is None
    most = sorted_rows(progress.volunteers, VOLUNTEER_SORTS, "responses", True)
    assert [row.username for row in most] == ["tnv.a", "tnv.b", "tnv.idle"]


def test_official_sees_only_their_commune(world):
    progress = round_progress(world.round, world.users["official_b"], None, now=world.now)
    assert progress.scope.id == world.units["B"].id
    assert {row.name for row in progress.rows} == {"Thôn Đồng Tâm", "Thôn Yên Trạch"}
    assert {row.username for row in progress.volunteers} == {"tnv.b"}
    assert progress.total.responses == 3


def test_daily_series_by_local_day(world, factory):
    # 23:30 UTC is 06:30 the next day in Viet Nam
    late_evening = datetime.combine((world.round.opens_at + timedelta(days=6)).date(),
                                    datetime.min.time(), tzinfo=UTC).replace(hour=23, minute=30)
    factory.response(world.round, world.units["B2"], world.users["vB"], {"sex": "male"},
                     completed_at=late_evening)
    progress = round_progress(world.round, world.users["admin"], None, now=world.now)
    by_day = {day.day: day for day in progress.days}
    assert by_day[late_evening.date() + timedelta(days=1)].responses >= 1
    assert progress.days[-1].cumulative == progress.total.responses == 11
    vietnam = ZoneInfo("Asia/Ho_Chi_Minh")
    window = (world.round.closes_at.astimezone(vietnam).date()
              - world.round.opens_at.astimezone(vietnam).date()).days + 1
    assert len(progress.days) == window                        # the whole window
    assert sum(day.responses for day in progress.days) == 11
    assert [day.future for day in progress.days].count(False) == 11   # up to today


def test_pace_of_a_closed_round_expects_the_whole_target(world):
    world.round.status = "closed"
    assert round_pace(world.round, world.now).fraction == 1.0


def _report_numbers(summary) -> dict:
    rows = {row.unit_id: (row.responses, row.target) for row in summary.coverage.rows}
    return {"rows": rows, "total": (summary.coverage.responses, summary.coverage.target)}


def _progress_numbers(progress) -> dict:
    rows = {row.id: (row.responses, row.target) for row in progress.rows if not row.own}
    return {"rows": rows, "total": (progress.total.responses, progress.total.target)}


def _assert_agree(session, round_, unit, user):
    report = _report_numbers(build_round_summary(session, round_, unit))
    progress = _progress_numbers(round_progress(round_, user, unit))
    assert progress["total"] == report["total"]
    for unit_id, numbers in progress["rows"].items():
        assert report["rows"][unit_id] == numbers
    # children the progress leaves out are those with nothing in the round
    for unit_id, numbers in report["rows"].items():
        if unit_id not in progress["rows"]:
            assert numbers == (0, None)


def test_numbers_agree_with_the_report_coverage_table(db, factory):
    data = survey_data.build_dataset(db, factory)
    admin = factory.user("quantri", "admin")
    group = data.groups["Tổ dân phố Bắc Sơn"]
    # a group's own target, an excluded response and a late one
    db.session.execute(update(round_units).where(
        round_units.c.round_id == data.current.id, round_units.c.unit_id == group.id
    ).values(target=7))
    response = factory.response(data.current, group, data.volunteer, {"sex": "male"})
    exclude_response(response, admin, "phiếu thử")
    factory.response(data.current, group, data.volunteer, {"sex": "female"}, is_late=True)
    for unit in [data.province, *data.communes.values(), group]:
        _assert_agree(db.session, data.current, unit, admin)
    _assert_agree(db.session, data.current, data.communes["Phường Đông Hòa"], data.official)
    summary = build_round_summary(db.session, data.current, data.communes["Phường Đông Hòa"])
    assert dict((r.unit_id, r.target) for r in summary.coverage.rows)[group.id] == 7


def _statements(session, run) -> int:
    session.expire_all()
    engine = session.get_bind()
    seen = []

    def count(*args):
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_counting_is_done_by_the_database(db, world, factory):
    """As many statements for 50 responses as for 10: no query per response or per unit."""
    def progress():
        return round_progress(world.round, world.users["admin"], None, now=world.now)

    before = _statements(db.session, progress)
    for n in range(40):
        factory.response(world.round, world.units["B2"], world.users["vB"], {"sex": "male"},
                         completed_at=world.round.opens_at + timedelta(days=n % 9, hours=2))
    assert _statements(db.session, progress) == before
    assert before <= 15
    assert progress().total.responses == 50


def test_an_official_of_two_communes_sees_both_side_by_side(world, factory):
    official = factory.user("canbo.ab", "official", units=[world.units["A"], world.units["B"]])
    progress = round_progress(world.round, official, None, now=world.now)
    assert progress.scope is None
    assert {row.name for row in progress.rows} == {"Phường Hoa Lư", "Xã Gia Viễn"}
    assert progress.total.responses == 10 and progress.total.target == 44
