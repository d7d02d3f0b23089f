from sqlalchemy import select

from server.people.models import DeviceToken
from tests.conftest import auth_header


def test_admin_builds_the_tree_and_others_see_their_part(client, factory):
    admin = factory.user("admin", "admin")
    headers = auth_header(factory.token(admin))
    province = client.post("/api/v1/units", headers=headers,
                           json={"name": "Tỉnh Ninh Bình", "kind": "province"}).get_json()
    ward = client.post("/api/v1/units", headers=headers, json={
        "name": "Phường Hoa Lư", "kind": "ward", "parent_id": province["id"], "code": "hoa-lu"})
    assert ward.status_code == 201
    ward = ward.get_json()
    other = client.post("/api/v1/units", headers=headers, json={
        "name": "Xã Gia Viễn", "kind": "commune", "parent_id": province["id"]}).get_json()
    group = client.post("/api/v1/units", headers=headers, json={
        "name": "Tổ dân phố Kỳ Lân", "kind": "residential_group", "parent_id": ward["id"]}).get_json()
    assert group["path"] == f"/{province['id']}/{ward['id']}/{group['id']}/"

    created = client.post("/api/v1/users", headers=headers, json={
        "username": "can.bo.lan", "display_name": "Nguyễn Thị Lan", "role": "official",
        "password": "mat-khau-dai", "unit_ids": [ward["id"]]})
    assert created.status_code == 201
    login = client.post("/api/v1/auth/token", json={"username": "can.bo.lan", "password": "mat-khau-dai"})
    official_headers = auth_header(login.get_json()["token"])
    seen = client.get("/api/v1/units", headers=official_headers).get_json()
    assert [u["id"] for u in seen] == [ward["id"], group["id"]]
    assert other["id"] not in [u["id"] for u in seen]
    assert client.post("/api/v1/units", headers=official_headers,
                       json={"name": "X", "kind": "village"}).status_code == 403


def test_bad_unit_input_gets_clear_errors(client, factory):
    headers = auth_header(factory.token(factory.user("admin", "admin")))
    bad_kind = client.post("/api/v1/units", headers=headers, json={"name": "X", "kind": "planet"})
    assert bad_kind.status_code == 400 and "kind" in str(bad_kind.get_json()["error"]["details"])
    orphan = client.post("/api/v1/units", headers=headers,
                         json={"name": "X", "kind": "village", "parent_id": 999999})
    assert orphan.status_code == 400 and orphan.get_json()["error"]["code"] == "unknown_parent"
    client.post("/api/v1/units", headers=headers, json={"name": "A", "kind": "ward", "code": "a-1"})
    dup = client.post("/api/v1/units", headers=headers, json={"name": "B", "kind": "ward", "code": "a-1"})
    assert dup.status_code == 409


def test_deactivating_a_user_revokes_their_tokens(client, factory, db):
    headers = auth_header(factory.token(factory.user("admin", "admin")))
    volunteer = factory.user("tnv", "volunteer")
    volunteer_token = factory.token(volunteer)
    response = client.patch(f"/api/v1/users/{volunteer.id}", headers=headers, json={"is_active": False})
    assert response.status_code == 200 and response.get_json()["is_active"] is False
    record = db.session.scalar(select(DeviceToken).where(DeviceToken.user_id == volunteer.id))
    assert record.revoked_at is not None
    assert client.delete("/api/v1/auth/token", headers=auth_header(volunteer_token)).status_code == 401
    duplicate = client.post("/api/v1/users", headers=headers, json={
        "username": "tnv", "display_name": "x", "role": "volunteer", "password": "long-enough"})
    assert duplicate.status_code == 409
