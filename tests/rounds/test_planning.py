from datetime import timedelta

from server.db_types import utcnow
from tests.conftest import auth_header


def test_admin_plans_a_round_and_closes_it_early(client, factory):
    headers = auth_header(factory.token(factory.user("admin", "admin")))
    ward = factory.unit("Phường Hoa Lư", "ward")
    groups = [factory.unit(f"Tổ dân phố {i}", "residential_group", parent=ward) for i in (1, 2)]
    version = factory.form_version()
    opens = utcnow() - timedelta(hours=1)
    created = client.post("/api/v1/rounds", headers=headers, json={
        "title": "Khảo sát đợt 2 năm 2026", "form_version_id": version.id,
        "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=30)).isoformat(),
        "unit_ids": [g.id for g in groups], "target_per_unit": 40})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "open" and body["slug"] == "khao-sat-dot-2-nam-2026"
    assert [u["id"] for u in body["units"]] == [g.id for g in groups]

    closed = client.patch(f"/api/v1/rounds/{body['id']}", headers=headers, json={"status": "closed"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"


def test_round_planning_refuses_bad_windows_and_non_admins(client, factory):
    admin_headers = auth_header(factory.token(factory.user("admin", "admin")))
    ward = factory.unit("Phường Hoa Lư", "ward")
    version = factory.form_version()
    now = utcnow()
    backwards = client.post("/api/v1/rounds", headers=admin_headers, json={
        "title": "Sai thời gian", "form_version_id": version.id, "opens_at": now.isoformat(),
        "closes_at": (now - timedelta(days=1)).isoformat(), "unit_ids": [ward.id]})
    assert backwards.status_code == 400
    naive = client.post("/api/v1/rounds", headers=admin_headers, json={
        "title": "Không múi giờ", "form_version_id": version.id, "opens_at": "2026-11-01T00:00:00",
        "closes_at": "2026-12-01T00:00:00", "unit_ids": [ward.id]})
    assert naive.status_code == 400
    official = factory.user("official", "official", units=[ward])
    forbidden = client.post("/api/v1/rounds", headers=auth_header(factory.token(official)), json={
        "title": "Không được phép", "form_version_id": version.id, "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(), "unit_ids": [ward.id]})
    assert forbidden.status_code == 403


def _entries(db, round_id, action):
    from sqlalchemy import select

    from server.audit.models import AuditEntry
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_id == str(round_id), AuditEntry.action == action)).all()


def test_a_round_is_planned_with_its_units_own_targets_and_late_policy(client, factory, db):
    headers = auth_header(factory.token(factory.user("admin", "admin")))
    ward = factory.unit("Phường Hoa Lư", "ward")
    groups = [factory.unit(f"Tổ dân phố {i}", "residential_group", parent=ward) for i in (1, 2)]
    version = factory.form_version()
    opens = utcnow() + timedelta(days=1)
    created = client.post("/api/v1/rounds", headers=headers, json={
        "title": "Đợt có chỉ tiêu riêng", "form_version_id": version.id,
        "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=30)).isoformat(),
        "unit_ids": [g.id for g in groups], "target_per_unit": 30, "late_policy": "refuse",
        "unit_targets": [{"unit_id": groups[0].id, "target": 50}]})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["late_policy"] == "refuse" and body["status"] == "planned"
    assert body["unit_targets"] == [{"unit_id": groups[0].id, "target": 50},
                                    {"unit_id": groups[1].id, "target": None}]
    (entry,) = _entries(db, body["id"], "round.created")
    assert entry.details["after"]["late_policy"] == "refuse"

    outside = client.post("/api/v1/rounds", headers=headers, json={
        "title": "Chỉ tiêu sai đơn vị", "form_version_id": version.id,
        "opens_at": opens.isoformat(), "closes_at": (opens + timedelta(days=3)).isoformat(),
        "unit_ids": [groups[0].id], "unit_targets": [{"unit_id": ward.id, "target": 5}]})
    assert outside.status_code == 400
    assert outside.get_json()["error"]["code"] == "unit_not_in_round"


def test_patch_extends_reopens_and_changes_targets_with_before_and_after(client, factory, db):
    headers = auth_header(factory.token(factory.user("admin", "admin")))
    group = factory.unit("Tổ dân phố 1", "residential_group")
    round_ = factory.round(units=[group], opens_at=utcnow() - timedelta(days=3),
                           closes_at=utcnow() + timedelta(days=3))
    db.session.commit()
    later = round_.closes_at + timedelta(days=5)
    extended = client.patch(f"/api/v1/rounds/{round_.id}", headers=headers,
                            json={"closes_at": later.isoformat()})
    assert extended.status_code == 200, extended.get_json()
    (entry,) = _entries(db, round_.id, "round.extended")
    assert entry.details["after"]["closes_at"] == later.isoformat()

    moved_open = client.patch(f"/api/v1/rounds/{round_.id}", headers=headers,
                              json={"opens_at": utcnow().isoformat()})
    assert moved_open.status_code == 400
    assert moved_open.get_json()["error"]["code"] == "round_started"

    closed = client.patch(f"/api/v1/rounds/{round_.id}", headers=headers, json={"status": "closed"})
    assert closed.get_json()["status"] == "closed"
    no_close = client.patch(f"/api/v1/rounds/{round_.id}", headers=headers, json={"status": "open"})
    assert no_close.status_code == 400
    reopened = client.patch(f"/api/v1/rounds/{round_.id}", headers=headers, json={
        "status": "open", "closes_at": (utcnow() + timedelta(days=2)).isoformat()})
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "open"
    assert len(_entries(db, round_.id, "round.reopened")) == 1

    targets = client.patch(f"/api/v1/rounds/{round_.id}", headers=headers, json={
        "unit_targets": [{"unit_id": group.id, "target": 12}], "late_policy": "refuse"})
    assert targets.status_code == 200
    assert targets.get_json()["unit_targets"] == [{"unit_id": group.id, "target": 12}]
    (changed,) = _entries(db, round_.id, "round.targets_changed")
    assert changed.details == {"before": {str(group.id): None}, "after": {str(group.id): 12}}


def test_a_planned_round_goes_back_to_draft_and_is_published_again(client, factory, db):
    headers = auth_header(factory.token(factory.user("admin", "admin")))
    round_ = factory.round(units=[factory.unit("Tổ dân phố 1", "residential_group")],
                           opens_at=utcnow() + timedelta(days=2),
                           closes_at=utcnow() + timedelta(days=9))
    db.session.commit()
    path = f"/api/v1/rounds/{round_.id}"
    drafted = client.patch(path, headers=headers, json={"status": "draft"})
    assert drafted.get_json()["status"] == "draft"
    assert client.patch(path, headers=headers, json={"status": "draft"}).status_code == 200
    published = client.patch(path, headers=headers, json={"status": "scheduled"})
    assert published.get_json()["status"] == "planned"
    actions = [e.action for e in _entries(db, round_.id, "round.drafted")
               + _entries(db, round_.id, "round.published")]
    assert actions == ["round.drafted", "round.published"]
