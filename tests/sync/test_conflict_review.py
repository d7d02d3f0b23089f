from sqlalchemy import select
from sync_support import statuses, submit, valid_answers

from server.audit.models import AuditEntry
from server.sync.models import Response
from tests.conftest import auth_header


def _make_conflict(client, area):
    first = area.item(answers=valid_answers(1))
    assert statuses(submit(client, area, [first])) == ["created"]
    second = dict(first, answers=valid_answers(2))
    assert statuses(submit(client, area, [second])) == ["conflict"]
    return first, second


def test_admin_sees_the_conflict_and_keeps_the_stored_response(client, factory, area, db):
    first, _ = _make_conflict(client, area)
    admin = auth_header(factory.token(factory.user("admin", "admin")))
    listed = client.get("/api/v1/conflicts", headers=admin).get_json()["conflicts"]
    assert [c["uuid"] for c in listed] == [first["uuid"]]
    assert listed[0]["stored_answers"] != listed[0]["submitted"]["answers"]

    kept = client.post(f"/api/v1/conflicts/{listed[0]['id']}/resolve", headers=admin,
                       json={"resolution": "kept_stored"})
    assert kept.status_code == 200 and kept.get_json()["resolution"] == "kept_stored"
    assert client.get("/api/v1/conflicts", headers=admin).get_json()["conflicts"] == []
    assert len(client.get("/api/v1/conflicts?resolved=true", headers=admin).get_json()["conflicts"]) == 1
    again = client.post(f"/api/v1/conflicts/{listed[0]['id']}/resolve", headers=admin,
                        json={"resolution": "used_submitted"})
    assert again.status_code == 409


def test_admin_replaces_the_stored_answers_and_the_old_ones_stay_in_the_audit(client, factory, area, db):
    first, second = _make_conflict(client, area)
    admin = auth_header(factory.token(factory.user("admin", "admin")))
    conflict_id = client.get("/api/v1/conflicts", headers=admin).get_json()["conflicts"][0]["id"]
    stored_before = db.session.scalar(select(Response.answers).where(Response.uuid == first["uuid"]))
    used = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", headers=admin,
                       json={"resolution": "used_submitted"})
    assert used.status_code == 200
    db.session.expire_all()
    response = db.session.scalar(select(Response).where(Response.uuid == first["uuid"]))
    assert response.answers == valid_answers(2)
    replaced = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "response.replaced"))
    assert replaced.details["previous_answers"] == stored_before
    # The phone resending the second version now hears "duplicate".
    assert statuses(submit(client, area, [second])) == ["duplicate"]


def test_only_admins_review_conflicts(client, factory, area):
    assert client.get("/api/v1/conflicts", headers=area.headers).status_code == 403
    assert client.get("/api/v1/conflicts").status_code == 401
    admin = auth_header(factory.token(factory.user("admin", "admin")))
    bad = client.post("/api/v1/conflicts/999/resolve", headers=admin, json={"resolution": "x"})
    assert bad.status_code == 400
    missing = client.post("/api/v1/conflicts/999/resolve", headers=admin, json={"resolution": "kept_stored"})
    assert missing.status_code == 404
