"""ETag / 304 on assignments and form versions; the OpenAPI document lists the sync API."""

import unicodedata
from datetime import timedelta

from sync_support import DEFINITION

from server.db_types import utcnow
from server.forms.models import FormVersion
from server.units.services import create_unit


def test_assignments_answer_304_until_something_changes(client, db, factory, area):
    first = client.get("/api/v1/me/assignments", headers=area.headers)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/api/v1/me/assignments", headers={**area.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    # a new round for this volunteer changes the answer
    factory.round(form_version=area.round.form_version, units=area.groups[:1],
                  opens_at=utcnow() + timedelta(days=3), closes_at=utcnow() + timedelta(days=9))
    changed = client.get("/api/v1/me/assignments", headers={**area.headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert len(changed.get_json()["rounds"]) == 2


def test_assignments_change_when_a_unit_is_added_to_the_volunteer(client, db, factory, area):
    etag = client.get("/api/v1/me/assignments", headers=area.headers).headers["ETag"]
    area.volunteer.units.append(area.groups[2])
    db.session.flush()
    changed = client.get("/api/v1/me/assignments", headers={**area.headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert sorted(u["id"] for u in changed.get_json()["rounds"][0]["units"]) == sorted(g.id for g in area.groups)


def test_a_form_version_is_immutable_and_cached_for_long(client, area):
    url = f"/api/v1/form-versions/{area.round.form_version_id}"
    first = client.get(url, headers=area.headers)
    assert first.status_code == 200
    body = first.get_json()
    assert body["definition"] == DEFINITION
    assert body["id"] == area.round.form_version_id and body["form_name"] == "resident_survey"
    assert "immutable" in first.headers["Cache-Control"] and "max-age=31536000" in first.headers["Cache-Control"]
    etag = first.headers["ETag"]
    assert etag == f'"{area.round.form_version.content_hash}"'
    again = client.get(url, headers={**area.headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get(url, headers={**area.headers, "If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_unknown_and_draft_form_versions_are_404(client, db, area):
    assert client.get("/api/v1/form-versions/999999", headers=area.headers).status_code == 404
    published = db.session.get(FormVersion, area.round.form_version_id)
    draft = FormVersion(form_id=published.form_id, version=99, definition=DEFINITION,
                        status="draft", content_hash="x" * 64)
    db.session.add(draft)
    db.session.flush()
    response = client.get(f"/api/v1/form-versions/{draft.id}", headers=area.headers)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_unit_names_come_out_nfc(client, db, factory, area):
    group = create_unit(unicodedata.normalize("NFD", "Tổ dân phố Đông"), "residential_group",
                        parent=area.commune)
    area.volunteer.units.append(group)
    factory.round(form_version=area.round.form_version, units=[group])
    rounds = client.get("/api/v1/me/assignments", headers=area.headers).get_json()["rounds"]
    assert "Tổ dân phố Đông" in [u["name"] for r in rounds for u in r["units"]]


def test_the_openapi_document_lists_every_sync_endpoint_with_schemas(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    expected = {
        "/api/v1/auth/token": {"post", "delete"},
        "/api/v1/me/assignments": {"get"},
        "/api/v1/form-versions/{version_id}": {"get"},
        "/api/v1/submissions": {"post"},
        "/api/v1/me/submissions": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths[path]), path
    post = paths["/api/v1/submissions"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/SubmissionBatch")
    assert {"200", "400", "401", "403", "413"} <= set(post["responses"])
    schemas = spec["components"]["schemas"]
    item = schemas["Submission"]
    assert set(item["required"]) >= {"uuid", "round_id", "form_version_id", "unit_id", "completed_at", "answers"}
    assert item["properties"]["uuid"]["format"] == "uuid"
    assert "results" in schemas["SubmissionResults"]["properties"]
    assert {"304", "200"} <= set(paths["/api/v1/me/assignments"]["get"]["responses"])
    assert "rounds" in schemas["Assignments"]["properties"]
    params = paths["/api/v1/me/submissions"]["get"]["parameters"]
    assert "round_id" in [p["name"] for p in params]
