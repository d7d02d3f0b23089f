import uuid, json
from datetime import timedelta
from tests.conftest import auth_header
from server.db_types import utcnow

def test_smoke(client, factory):
    commune = factory.unit("Phường A", "ward")
    group = factory.unit("Tổ 1", "residential_group", parent=commune)
    v = factory.user("v1", units=[group])
    r = factory.round(units=[group])
    tok = factory.token(v)
    a = client.get("/api/v1/me/assignments", headers=auth_header(tok))
    print(a.status_code, a.get_json(), a.headers)
    f = client.get(f"/api/v1/form-versions/{r.form_version_id}", headers=auth_header(tok))
    print(f.status_code, list(f.get_json()), f.headers)
    item = {"uuid": str(uuid.uuid4()), "round_id": r.id, "form_version_id": r.form_version_id,
            "unit_id": group.id, "started_at": utcnow().isoformat(), "completed_at": utcnow().isoformat(),
            "answers": {}, "client": {"app_version": "1"}}
    s = client.post("/api/v1/submissions", json={"submissions": [item]}, headers=auth_header(tok))
    print(s.status_code, json.dumps(s.get_json(), ensure_ascii=False)[:1500])
