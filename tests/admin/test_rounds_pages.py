"""The console's Rounds pages, used as an admin does: plan a round from a subtree with an
exclusion and a unit's own target (times typed in Vietnam time, stored in UTC), then close it
early, extend, reopen, change settings and targets; refused input shows the page again."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.rounds.models import Round
from server.rounds.services import targets_of
from tests.admin.conftest import csrf_token


@pytest.fixture
def ward(factory, db, web_login):
    """A ward with three residential groups, a published form, and an admin logged in."""
    ward = factory.unit("Phường Hoa Lư", "ward")
    groups = [factory.unit(f"Tổ dân phố {i}", "residential_group", parent=ward) for i in (1, 2, 3)]
    version = factory.form_version()
    admin = factory.user("admin", "admin")
    db.session.commit()
    web_login(admin)
    return {"ward": ward, "groups": groups, "version": version, "admin": admin}


def _plan_data(client, w, **changes) -> MultiDict:
    g1, _, g3 = w["groups"]
    data = {"csrf_token": csrf_token(client), "title": "Khảo sát đợt 1 năm 2030",
            "form_version_id": str(w["version"].id), "opens_at": "2030-05-01T00:00",
            "closes_at": "2030-05-31T23:59", "target_per_unit": "30", "late_policy": "refuse",
            "root_id": str(w["ward"].id), "units_root": str(w["ward"].id),
            f"target-{g1.id}": "45", "action": "create"}
    data.update(changes)
    pairs = [(k, v) for k, v in data.items() if v is not None]
    if "include" not in changes:
        pairs += [("include", str(g1.id)), ("include", str(g3.id))]
    return MultiDict(pairs)


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_plan_form_shows_the_subtree_with_every_group_checked(client, ward):
    page = _text(client.get(f"/admin/rounds/new?root_id={ward['ward'].id}"))
    for group in ward["groups"]:
        assert group.name in page
        box = rf'name="include" value="{group.id}" id="include-{group.id}" checked'
        assert re.search(box, page)
    assert f'name="include" value="{ward["ward"].id}" id="include-{ward["ward"].id}">' in page
    assert "Lập đợt khảo sát" in page
    english = _text(client.get(f"/admin/rounds/new?root_id={ward['ward'].id}&lang=en"))
    assert "Plan a round" in english and "Units and targets" in english


def test_an_admin_plans_a_round_with_an_exclusion_and_a_units_own_target(client, db, ward):
    response = client.post("/admin/rounds/new", data=_plan_data(client, ward))
    assert response.status_code == 302, _text(response)[:2000]
    round_ = db.session.scalar(select(Round).where(Round.title == "Khảo sát đợt 1 năm 2030"))
    assert response.headers["Location"].endswith(f"/admin/rounds/{round_.id}")
    g1, _, g3 = ward["groups"]
    # typed in Vietnam time (UTC+7), stored in UTC
    assert round_.opens_at == datetime(2030, 4, 30, 17, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2030, 5, 31, 16, 59, tzinfo=UTC)
    assert [u.id for u in round_.units] == [g1.id, g3.id]
    assert targets_of(round_.id) == {g1.id: 45, g3.id: None}
    assert round_.target_per_unit == 30 and round_.late_policy == "refuse"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "round.created"))
    assert entry.actor_id == ward["admin"].id
    assert entry.details["after"]["unit_ids"] == [g1.id, g3.id]

    detail = _text(client.get(response.headers["Location"]))
    assert "Đã lập đợt" in detail and "01/05/2030 00:00" in detail and "31/05/2030 23:59" in detail
    listing = _text(client.get("/admin/rounds/"))
    assert "Khảo sát đợt 1 năm 2030" in listing and "Sắp diễn ra" in listing


def test_showing_the_units_of_another_root_keeps_what_was_typed(client, ward):
    data = _plan_data(client, ward, action="units", units_root="", include=None)
    page = client.post("/admin/rounds/new", data=data)
    assert page.status_code == 200
    assert 'value="Khảo sát đợt 1 năm 2030"' in _text(page)
    assert all(g.name in _text(page) for g in ward["groups"])


@pytest.mark.parametrize("changes, message", [
    ({"title": "ab"}, "Tên đợt phải dài từ 3 đến 200 ký tự"),
    ({"closes_at": "2030-04-01T00:00"}, "Thời gian đóng phải sau thời gian mở"),
    ({"opens_at": "2030-05-01T00:00", "closes_at": "2001-05-31T00:00"}, "Thời gian đóng phải"),
    ({"opens_at": "mai"}, "Mở lúc: ngày giờ không hợp lệ"),
    ({"target_per_unit": "0"}, "Chỉ tiêu mặc định: cần một số từ 1 đến 100.000"),
    ({"form_version_id": "999999"}, "Phiên bản biểu mẫu không tồn tại"),
    ({"form_version_id": "x"}, "Mẫu phiếu: cần một số"),
    ({"late_policy": "maybe"}, "Cách xử lý phiếu nộp muộn không hợp lệ"),
    ({"root_id": ""}, "Hãy chọn đơn vị gốc"),
    ({"include": []}, "Hãy chọn ít nhất một đơn vị"),
    ({"include": ["abc"]}, "Đơn vị không hợp lệ"),
    ({"target-{g1}": "-3"}, "Tổ dân phố 1: cần một số từ 1 đến 100.000"),
])
def test_bad_plan_values_show_the_form_again_with_the_reason(client, db, ward, changes, message):
    g1 = ward["groups"][0]
    changes = {key.replace("{g1}", str(g1.id)): value for key, value in changes.items()}
    data = _plan_data(client, ward, **{k: v for k, v in changes.items() if k != "include"})
    if "include" in changes:
        data.setlist("include", changes["include"])
    response = client.post("/admin/rounds/new", data=data)
    assert response.status_code == 400
    assert message in _text(response)
    assert db.session.scalar(select(Round.id)) is None


def test_a_unit_and_a_unit_inside_it_cannot_both_take_part(client, db, ward):
    data = _plan_data(client, ward)
    data.setlist("include", [str(ward["ward"].id), str(ward["groups"][0].id)])
    response = client.post("/admin/rounds/new", data=data)
    assert response.status_code == 400
    assert "nằm trong một đơn vị khác đã chọn" in _text(response)
    other = _plan_data(client, ward)
    elsewhere = ward["groups"][0].id
    other["root_id"] = str(ward["groups"][1].id)  # a root not holding the checked units
    other.setlist("include", [str(elsewhere)])
    refused = client.post("/admin/rounds/new", data=other)
    assert refused.status_code == 400


def test_a_commune_taking_part_whole_gets_a_target_from_its_size(client, db, ward, factory):
    province = factory.unit("Tỉnh Ninh Bình", "province")
    ward["ward"].parent_id = province.id
    ward["ward"].path = f"{province.path}{ward['ward'].id}/"
    for group in ward["groups"]:
        group.path = f"{ward['ward'].path}{group.id}/"
    db.session.commit()
    data = _plan_data(client, ward, root_id=str(province.id), units_root=str(province.id))
    data.setlist("include", [str(ward["ward"].id)])
    response = client.post("/admin/rounds/new", data=data)
    assert response.status_code == 302, _text(response)[:1500]
    round_ = db.session.scalar(select(Round))
    assert targets_of(round_.id) == {ward["ward"].id: 90}  # three groups × 30


@pytest.fixture
def open_round(factory, db, ward):
    round_ = factory.round(ward["version"], ward["groups"], opens_at=utcnow() - timedelta(days=2),
                           closes_at=utcnow() + timedelta(days=10))
    db.session.commit()
    return round_


def _post(client, path, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client), **fields})


def _local(moment: datetime) -> str:
    return (moment + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")


def test_an_admin_extends_closes_and_reopens_a_round(client, db, open_round):
    base = f"/admin/rounds/{open_round.id}"
    page = _text(client.get(base))
    assert "Đang diễn ra" in page and "Đóng sớm ngay" in page

    earlier = _post(client, f"{base}/extend",
                    closes_at=_local(open_round.closes_at - timedelta(days=1)))
    assert earlier.status_code == 400
    assert "Thời gian đóng mới phải sau thời gian đóng hiện tại" in _text(earlier)

    later = open_round.closes_at.replace(second=0, microsecond=0) + timedelta(days=5)
    assert _post(client, f"{base}/extend", closes_at=_local(later)).status_code == 302
    db.session.expire_all()
    assert open_round.closes_at == later

    closed = _post(client, f"{base}/close")
    assert closed.status_code == 302
    db.session.expire_all()
    assert open_round.status == "closed" and open_round.closes_at <= utcnow()
    assert "Đã đóng đợt khảo sát" in _text(client.get(base))

    assert _post(client, f"{base}/close").status_code == 400  # closed already
    past = _post(client, f"{base}/reopen", closes_at=_local(utcnow() - timedelta(days=1)))
    assert past.status_code == 400 and "Thời gian đóng mới phải ở tương lai" in _text(past)
    assert _post(client, f"{base}/reopen", closes_at="").status_code == 400
    until = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    assert _post(client, f"{base}/reopen", closes_at=_local(until)).status_code == 302
    db.session.expire_all()
    assert open_round.effective_status() == "open" and open_round.closes_at == until
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "round", AuditEntry.object_id == str(open_round.id))
        .order_by(AuditEntry.id)).all()
    assert actions == ["round.extended", "round.closed_early", "round.reopened"]


def test_a_planned_round_is_moved_and_an_open_one_is_not(client, db, factory, ward, open_round):
    planned = factory.round(ward["version"], ward["groups"][:1],
                            opens_at=utcnow() + timedelta(days=5),
                            closes_at=utcnow() + timedelta(days=9))
    db.session.commit()
    opens = (utcnow() + timedelta(days=6)).replace(second=0, microsecond=0)
    closes = opens + timedelta(days=20)
    moved = _post(client, f"/admin/rounds/{planned.id}/window", opens_at=_local(opens),
                  closes_at=_local(closes))
    assert moved.status_code == 302
    db.session.expire_all()
    assert (planned.opens_at, planned.closes_at) == (opens, closes)
    refused = _post(client, f"/admin/rounds/{open_round.id}/window", opens_at=_local(opens),
                    closes_at=_local(closes))
    assert refused.status_code == 400 and "Đợt đã bắt đầu" in _text(refused)


def test_settings_and_targets_are_saved_and_bad_values_refused(client, db, ward, open_round):
    base = f"/admin/rounds/{open_round.id}"
    bad = _post(client, f"{base}/settings", title="Tên mới", target_per_unit="nhiều",
                late_policy="accept")
    assert bad.status_code == 400 and "Chỉ tiêu mặc định: cần một số" in _text(bad)
    saved = _post(client, f"{base}/settings", title="Tên mới của đợt", target_per_unit="25",
                  late_policy="refuse")
    assert saved.status_code == 302
    db.session.expire_all()
    assert (open_round.title, open_round.target_per_unit, open_round.late_policy) == \
        ("Tên mới của đợt", 25, "refuse")

    g1, g2, g3 = ward["groups"]
    fields = {f"target-{g1.id}": "12", f"target-{g2.id}": "", f"target-{g3.id}": "7"}
    assert _post(client, f"{base}/targets", **fields).status_code == 302
    assert targets_of(open_round.id) == {g1.id: 12, g2.id: None, g3.id: 7}
    cleared = _post(client, f"{base}/targets", **{f"target-{g3.id}": ""})
    assert cleared.status_code == 302 and targets_of(open_round.id)[g3.id] is None
    wrong = _post(client, f"{base}/targets", **{f"target-{g1.id}": "abc"})
    assert wrong.status_code == 400 and "Tổ dân phố 1: cần một số" in _text(wrong)
    assert targets_of(open_round.id)[g1.id] == 12
    page = _text(client.get(base))
    assert 'value="12"' in page and "25" in page
