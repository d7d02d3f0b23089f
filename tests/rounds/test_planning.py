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
