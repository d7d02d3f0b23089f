"""Recurring plans in the console: made from a round with its days suggested twice a year,
listing the rounds to come; bad windows show the form again; pause, resume, change."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.rounds.models import RecurringPlan
from tests.admin.conftest import csrf_token

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN).astimezone(UTC)


@pytest.fixture
def template(factory, db, web_login):
    """The May 2030 round (1–31 May, Vietnam time) and an admin logged in."""
    groups = [factory.unit(f"Tổ dân phố {i}", "residential_group") for i in (1, 2)]
    round_ = factory.round(units=groups, opens_at=vn(2030, 5, 1),
                           closes_at=vn(2030, 5, 31, 23, 59, 59), title="Khảo sát tháng 5/2030")
    admin = factory.user("admin", "admin")
    db.session.commit()
    web_login(admin)
    return round_


def _windows(*rows) -> dict:
    fields = {}
    for i, (od, om, cd, cm) in enumerate(rows):
        fields.update({f"open_day-{i}": od, f"open_month-{i}": om,
                       f"close_day-{i}": cd, f"close_month-{i}": cm})
    return fields


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_new_plan_form_suggests_the_rounds_days_twice_a_year(client, template):
    page = _text(client.get(f"/admin/rounds/{template.id}/recurring"))
    for name, value in (("open_day-0", 1), ("open_month-0", 5), ("close_day-0", 31),
                        ("close_month-0", 5), ("open_day-1", 1), ("open_month-1", 11),
                        ("close_day-1", 30), ("close_month-1", 11)):
        assert f'name="{name}" value="{value}"' in page
    assert 'name="lead_days" value="30"' in page


def test_an_admin_makes_a_twice_yearly_plan_and_sees_the_coming_rounds(client, db, template):
    response = client.post(f"/admin/rounds/{template.id}/recurring", data={
        "csrf_token": csrf_token(client), "title": "Khảo sát hài lòng", "lead_days": "30",
        **_windows(("1", "5", "31", "5"), ("1", "11", "30", "11"))})
    assert response.status_code == 302, _text(response)[:1500]
    plan = db.session.scalar(select(RecurringPlan))
    assert response.headers["Location"].endswith(f"/admin/rounds/recurring/{plan.id}")
    assert plan.windows == [{"open_month": 5, "open_day": 1, "close_month": 5, "close_day": 31},
                            {"open_month": 11, "open_day": 1, "close_month": 11, "close_day": 30}]
    page = _text(client.get(response.headers["Location"]))
    # after the May 2030 template: November 2030, then May 2031 (across the new year)
    positions = [page.index(shown) for shown in
                 ("01/11/2030 00:00", "30/11/2030 23:59", "01/05/2031 00:00")]
    assert positions == sorted(positions)
    assert "02/10/2030" in page  # made 30 days before it opens
    assert "Khảo sát tháng 5/2030" in page
    listing = _text(client.get("/admin/rounds/recurring"))
    assert "Khảo sát hài lòng" in listing and "01/05–31/05" in listing
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "recurring_plan.created"))
    assert entry.details["after"]["lead_days"] == 30


@pytest.mark.parametrize("fields, message", [
    (_windows(("30", "2", "5", "3")), "Ngày hoặc tháng không hợp lệ"),
    (_windows(("1", "5", "15", "6"), ("1", "6", "30", "6")), "không được chồng lên nhau"),
    (_windows(("1", "5", "", "5")), "Dòng 1: cần một số từ 1 đến 31"),
    (_windows(("1", "13", "2", "5")), "Dòng 1: cần một số từ 1 đến 12"),
    ({}, "Cần ít nhất một khoảng thời gian"),
    ({"lead_days": "400", **_windows(("1", "5", "31", "5"))}, "Số ngày tạo trước: cần một số"),
    ({"title": "x", **_windows(("1", "5", "31", "5"))}, "Tên phải dài từ 3 đến 200 ký tự"),
])
def test_bad_plans_show_the_form_again_with_the_reason(client, db, template, fields, message):
    data = {"csrf_token": csrf_token(client), "title": "Khảo sát hài lòng", "lead_days": "30",
            **fields}
    response = client.post(f"/admin/rounds/{template.id}/recurring", data=data)
    assert response.status_code == 400
    assert message in _text(response)
    assert db.session.scalar(select(RecurringPlan.id)) is None


def test_a_plan_is_changed_paused_and_resumed(client, db, template):
    client.post(f"/admin/rounds/{template.id}/recurring", data={
        "csrf_token": csrf_token(client), "title": "Khảo sát hài lòng", "lead_days": "30",
        **_windows(("1", "5", "31", "5"))})
    plan = db.session.scalar(select(RecurringPlan))
    base = f"/admin/rounds/recurring/{plan.id}"
    changed = client.post(base, data={"csrf_token": csrf_token(client), "title": "Khảo sát định kỳ",
                                      "lead_days": "45", **_windows(("1", "6", "30", "6"))})
    assert changed.status_code == 302
    db.session.expire_all()
    assert (plan.title, plan.lead_days) == ("Khảo sát định kỳ", 45)
    assert plan.windows[0]["open_month"] == 6
    bad = client.post(base, data={"csrf_token": csrf_token(client), "title": "Khảo sát định kỳ",
                                  "lead_days": "-1", **_windows(("1", "6", "30", "6"))})
    assert bad.status_code == 400 and "Số ngày tạo trước" in _text(bad)

    paused = client.post(f"{base}/active", data={"csrf_token": csrf_token(client), "active": "0"})
    assert paused.status_code == 302
    db.session.expire_all()
    assert plan.is_active is False
    assert "Tạm dừng" in _text(client.get(base))
    client.post(f"{base}/active", data={"csrf_token": csrf_token(client), "active": "1"})
    db.session.expire_all()
    assert plan.is_active is True
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "recurring_plan").order_by(AuditEntry.id)).all()
    assert actions == ["recurring_plan.created", "recurring_plan.updated",
                       "recurring_plan.paused", "recurring_plan.resumed"]
