"""The people rules shared by the API and the console (server/people/services.py): the JSON
API now goes through them, so its changes are audited with before and after too."""

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.people.services import (
    PersonRuleError,
    activate_person,
    add_person,
    generate_password,
    normalise_phone,
    revoke_devices,
    update_person,
)
from tests.conftest import auth_header


def test_the_api_creates_and_changes_people_through_the_services(client, factory, db):
    admin = factory.user("admin", "admin")
    ward = factory.unit("Phường Hoa Lư", "ward")
    headers = auth_header(factory.token(admin))
    created = client.post("/api/v1/users", headers=headers, json={
        "username": "lan.le", "display_name": "  Lê  Thị Lan ", "role": "official",
        "password": "mat-khau-dai", "unit_ids": [ward.id]})
    assert created.status_code == 201 and created.get_json()["display_name"] == "Lê Thị Lan"
    user_id = created.get_json()["id"]
    unknown = client.post("/api/v1/users", headers=headers, json={
        "username": "x.y", "display_name": "X", "role": "volunteer", "password": "mat-khau-dai",
        "unit_ids": [999999]})
    assert unknown.status_code == 400 and unknown.get_json()["error"]["details"]["unit_ids"] == [999999]

    changed = client.patch(f"/api/v1/users/{user_id}", headers=headers,
                           json={"display_name": "Lê Thị Lan Anh", "unit_ids": []})
    assert changed.status_code == 200
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_id == str(user_id)).order_by(AuditEntry.id)).all()
    assert [entry.action for entry in entries] == ["user.created", "user.updated", "user.updated"]
    assert entries[1].details["before"]["display_name"] == "Lê Thị Lan"
    assert entries[2].details["before"]["unit_codes"] == [ward.code]
    assert entries[2].details["after"]["unit_codes"] == []

    password = client.patch(f"/api/v1/users/{user_id}", headers=headers,
                            json={"password": "mot-mat-khau-moi"})
    assert password.status_code == 200
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_changed"))
    assert "mot-mat-khau-moi" not in str(entry.details)

    last_admin = client.patch(f"/api/v1/users/{admin.id}", headers=headers,
                              json={"is_active": False})
    assert last_admin.status_code == 409 and last_admin.get_json()["error"]["code"] == "own_account"


def test_the_last_active_admin_stays(db, factory):
    admin = factory.user("admin", "admin")
    other = factory.user("admin2", "admin")
    activate_person(other, False, admin.id)
    with pytest.raises(PersonRuleError) as refused:
        update_person(admin, other.id, role="official")
    assert refused.value.code == "last_admin"


def test_add_person_normalises_and_refuses(db, factory):
    user, password = add_person(None, " Binh.Tran ", "Trần  Thị Bình", "volunteer",
                                phone="0912.345.678")
    assert (user.username, user.display_name, user.phone) == ("binh.tran", "Trần Thị Bình",
                                                              "0912345678")
    assert password and len(password) == 17
    for args in (("binh.tran", "X", "volunteer"), ("x", "X", "volunteer"),
                 ("ok.name", "", "volunteer"), ("ok.name", "X", "boss")):
        with pytest.raises(PersonRuleError):
            add_person(None, *args)
    with pytest.raises(PersonRuleError):
        normalise_phone("call me")
    assert normalise_phone("  ") is None and normalise_phone("+84 912 345 678") == "+84912345678"


def test_generated_passwords_differ_and_avoid_look_alikes():
    passwords = {generate_password() for _ in range(200)}
    assert len(passwords) == 200
    assert not any(set(p) & set("01ilo") for p in passwords)


def test_revoking_devices_counts_what_it_revoked(db, factory):
    user = factory.user("tnv", "volunteer")
    factory.token(user), factory.token(user)
    assert revoke_devices(user, None) == 2
    assert revoke_devices(user, None) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.devices_revoked"))
    assert entry.details["before"] == {"live_devices": 2} and entry.details["after"] == {"live_devices": 0}
