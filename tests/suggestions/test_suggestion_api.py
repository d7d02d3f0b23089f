"""/api/v1/suggestion-boxes: boxes, messages and their handling, topics; who may do what;
everything audited; all of it in the OpenAPI document."""

from server.audit.models import AuditEntry
from server.suggestions.models import SuggestionMessage
from tests.conftest import auth_header
from tests.suggestions.conftest import submission, submit_url

API = "/api/v1/suggestion-boxes"


def _as(factory, world, role):
    return auth_header(factory.token(world.users[role]))


def _send(client, world, **fields) -> SuggestionMessage:
    answer = client.post(submit_url(world.box), json=submission(**fields))
    assert answer.status_code == 201
    from server.extensions import db
    return db.session.query(SuggestionMessage).filter_by(
        receipt_code=answer.get_json()["receipt_code"]).one()


def test_boxes_are_made_and_seen_by_their_units_officials(client, factory, world, db):
    a = _as(factory, world, "official_a")
    made = client.post(API, json={"unit_id": world.commune_a.id, "name": "  Bộ phận một cửa  "},
                       headers=a)
    assert made.status_code == 201, made.get_json()
    box = made.get_json()
    assert box["name"] == "Bộ phận một cửa" and box["public_url"].endswith(f"/y-kien/{box['code']}")
    names = {b["name"] for b in client.get(API, headers=a).get_json()}
    assert names == {"Bộ phận một cửa", "Nhà văn hóa tổ dân phố Đông Thịnh"}
    b = _as(factory, world, "official_b")
    assert client.get(API, headers=b).get_json() == []
    assert client.get(f"{API}/{box['id']}", headers=b).status_code == 404
    refused = client.post(API, json={"unit_id": world.commune_a.id, "name": "X"}, headers=b)
    assert refused.status_code == 403
    assert client.get(API, headers=_as(factory, world, "volunteer")).status_code == 403
    assert client.get(API).status_code == 401
    empty = client.post(API, json={"unit_id": world.commune_a.id, "name": "   "}, headers=a)
    assert empty.status_code == 400 and empty.get_json()["error"]["code"] == "box_name_required"
    assert db.session.query(AuditEntry).filter_by(action="suggestion_box.created").count() == 2


def test_a_box_is_renamed_closed_reopened_and_deleted_only_when_unused(client, factory, world):
    a = _as(factory, world, "official_a")
    url = f"{API}/{world.box.id}"
    assert client.patch(url, json={"name": "Nhà văn hóa khu 3"}, headers=a).get_json()["name"] \
        == "Nhà văn hóa khu 3"
    closed = client.patch(url, json={"is_open": False}, headers=a).get_json()
    assert closed["is_open"] is False and closed["closed_at"]
    assert client.get(f"/y-kien/{world.box.code}").status_code == 404
    assert client.patch(url, json={"is_open": True}, headers=a).get_json()["is_open"] is True
    _send(client, world)
    in_use = client.delete(url, headers=a)
    assert in_use.status_code == 409 and in_use.get_json()["error"]["code"] == "box_in_use"
    empty = client.post(API, json={"unit_id": world.group_a1.id, "name": "Thử"}, headers=a)
    assert client.delete(f"{API}/{empty.get_json()['id']}", headers=a).status_code == 204


def test_handling_a_message_assign_reply_close(client, factory, world, db):
    message = _send(client, world, contact="chị Lan, 0987 654 321", topic="dat_dai")
    a = _as(factory, world, "official_a")
    listed = client.get(f"{API}/{world.box.id}/messages", headers=a).get_json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["has_contact"] is True and item["contact"] is None   # not assigned to them yet
    assert item["topic"] == "dat_dai" and item["status"] == "new"

    other = world.users["official_a2"]
    assigned = client.post(f"{API}/messages/{message.id}/assign", json={"user_id": other.id},
                           headers=a)
    assert assigned.status_code == 200 and assigned.get_json()["status"] == "assigned"
    assert assigned.get_json()["contact"] is None                # the assigner does not see it
    a2 = _as(factory, world, "official_a2")
    assert client.get(f"{API}/messages/{message.id}", headers=a2).get_json()["contact"] \
        == "chị Lan, 0987 654 321"
    admin = _as(factory, world, "admin")
    assert client.get(f"{API}/messages/{message.id}", headers=admin).get_json()["contact"] is None

    wrong = client.post(f"{API}/messages/{message.id}/assign",
                        json={"user_id": world.users["official_b"].id}, headers=a)
    assert wrong.status_code == 400 and wrong.get_json()["error"]["code"] == "assignee_not_allowed"

    replied = client.post(f"{API}/messages/{message.id}/replies",
                          json={"body": "Đã chuyển địa chính xã kiểm tra."}, headers=a2)
    assert replied.status_code == 201
    data = replied.get_json()
    assert data["status"] == "answered" and data["first_reply_at"]
    assert [r["body"] for r in data["replies"]] == ["Đã chuyển địa chính xã kiểm tra."]
    first = data["first_reply_at"]
    client.post(f"{API}/messages/{message.id}/replies", json={"body": "Bổ sung."}, headers=a2)
    assert client.get(f"{API}/messages/{message.id}", headers=a2).get_json()["first_reply_at"] \
        == first                                                # the first reply's time stays

    closed = client.post(f"{API}/messages/{message.id}/close", headers=a)
    assert closed.get_json()["status"] == "closed"
    late = client.post(f"{API}/messages/{message.id}/replies", json={"body": "Nữa"}, headers=a)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "message_closed"

    b = _as(factory, world, "official_b")
    assert client.get(f"{API}/messages/{message.id}", headers=b).status_code == 404
    assert client.post(f"{API}/messages/{message.id}/close", headers=b).status_code == 404
    actions = {e.action for e in db.session.query(AuditEntry).filter_by(
        object_type="suggestion_message", object_id=str(message.id))}
    assert actions == {"suggestion_message.assigned", "suggestion_message.replied",
                       "suggestion_message.closed"}


def test_moderation_publishes_masked_text(client, factory, world):
    message = _send(client, world, message="Anh Nguyễn Văn Tám ở số nhà 12 đổ rác ra đường.")
    a = _as(factory, world, "official_a")
    assert "Tám" not in client.get(f"/y-kien/{world.box.code}").get_data(as_text=True)
    published = client.post(f"{API}/messages/{message.id}/moderation", json={"action": "publish"},
                            headers=a)
    assert published.get_json()["moderation"] == "published"
    page = client.get(f"/y-kien/{world.box.code}").get_data(as_text=True)
    assert "đổ rác ra đường" in page and "Tám" not in page and "[tên]" in page
    client.post(f"{API}/messages/{message.id}/moderation", json={"action": "withhold"}, headers=a)
    assert "đổ rác" not in client.get(f"/y-kien/{world.box.code}").get_data(as_text=True)
    bad = client.post(f"{API}/messages/{message.id}/moderation", json={"action": "x"}, headers=a)
    assert bad.status_code == 400


def test_the_admin_maintains_the_topics(client, factory, world):
    admin = _as(factory, world, "admin")
    keys = [t["key"] for t in client.get(f"{API}/topics", headers=admin).get_json()]
    assert keys == ["dat_dai", "ho_tich", "an_ninh_trat_tu", "moi_truong", "thai_do_can_bo", "khac"]
    made = client.post(f"{API}/topics", json={"key": "giao_thong", "label_vi": "Giao thông"},
                       headers=admin)
    assert made.status_code == 201 and made.get_json()["label_en"] == "Giao thông"
    assert client.post(f"{API}/topics", json={"key": "giao_thong", "label_vi": "X"},
                       headers=admin).status_code == 409
    assert client.post(f"{API}/topics", json={"key": "Bad Key", "label_vi": "X"},
                       headers=admin).status_code == 400
    official = _as(factory, world, "official_a")
    assert client.post(f"{API}/topics", json={"key": "y", "label_vi": "Y"},
                       headers=official).status_code == 403
    retired = client.patch(f"{API}/topics/{made.get_json()['id']}", json={"is_active": False},
                           headers=admin)
    assert retired.get_json()["is_active"] is False
    refused = client.post(submit_url(world.box), json=submission(topic="giao_thong"))
    assert refused.status_code == 400


def test_the_poster_is_a_pdf_with_the_box_and_its_link(client, factory, world, tmp_path):
    from io import BytesIO

    from pypdf import PdfReader

    from tests.admin.cycle_support import qr_links

    answer = client.get(f"{API}/{world.box.id}/poster.pdf", headers=_as(factory, world, "official_a"))
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(answer.data)).pages)
    flat = "".join(text.split())
    assert "HÒMTHƯGÓPÝĐIỆNTỬ" in flat and "NhàvănhóatổdânphốĐôngThịnh" in flat
    assert f"/y-kien/{world.box.code}" in flat and "ẩndanh" in flat
    # what a phone's camera reads from the QR code (when poppler and zxing-cpp are installed)
    scanned = qr_links(answer.data, tmp_path)
    if scanned is not None:
        assert scanned == {f"http://localhost/y-kien/{world.box.code}"}


def test_the_api_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    for path in ("/api/v1/suggestion-boxes", "/api/v1/suggestion-boxes/{box_id}",
                 "/api/v1/suggestion-boxes/{box_id}/messages",
                 "/api/v1/suggestion-boxes/messages/{message_id}/assign",
                 "/api/v1/suggestion-boxes/messages/{message_id}/replies",
                 "/api/v1/suggestion-boxes/messages/{message_id}/close",
                 "/api/v1/suggestion-boxes/public/{code}/messages",
                 "/api/v1/suggestion-boxes/topics"):
        assert path in paths, path
    submit = paths["/api/v1/suggestion-boxes/public/{code}/messages"]["post"]
    assert submit["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PublicSubmission")
    fields = document["components"]["schemas"]["PublicSubmission"]["properties"]
    assert {"client_uuid", "message", "topic", "rating", "contact", "website"} <= set(fields)
