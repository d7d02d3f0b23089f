"""The public side of a box: sending a message (idempotent by its UUID), the box's page, the
follow-up page by receipt code, and the 404s of unknown or closed boxes."""

import uuid

from server.suggestions.models import SuggestionContact, SuggestionMessage
from tests.suggestions.conftest import submission, submit_url


def test_a_resident_sends_a_message_and_gets_a_receipt(client, world, db):
    body = submission(topic="moi_truong", rating=2, contact="0912 345 678")
    answer = client.post(submit_url(world.box), json=body)
    assert answer.status_code == 201, answer.get_json()
    data = answer.get_json()
    assert data["result"] == "created"
    assert len(data["receipt_code"]) == 12 and data["receipt"].count("-") == 2
    assert data["follow_up_url"].endswith(f"/y-kien/theo-doi/{data['receipt_code']}")
    stored = db.session.query(SuggestionMessage).one()
    assert stored.body == body["message"] and stored.topic.key == "moi_truong"
    assert stored.rating == 2 and stored.status == "new" and stored.moderation == "pending"
    # the contact is stored apart from the message
    assert db.session.get(SuggestionContact, stored.id).details == "0912 345 678"


def test_sending_the_same_message_twice_stores_it_once(client, world, db):
    body = submission()
    first = client.post(submit_url(world.box), json=body)
    again = client.post(submit_url(world.box), json=body)
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["result"] == "duplicate"
    assert again.get_json()["receipt_code"] == first.get_json()["receipt_code"]
    assert db.session.query(SuggestionMessage).count() == 1


def test_the_message_is_stored_nfc(client, world, db):
    decomposed = "Đe\u0300n đươ\u0300ng hỏng"
    assert client.post(submit_url(world.box), json=submission(message=decomposed)).status_code == 201
    assert db.session.query(SuggestionMessage).one().body == "Đèn đường hỏng"


def test_unknown_and_closed_boxes_are_a_clear_404(client, world, db):
    unknown = client.post("/api/v1/suggestion-boxes/public/zzzz9999/messages", json=submission())
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "box_not_found"
    page = client.get("/y-kien/zzzz9999")
    assert page.status_code == 404
    assert "Không tìm thấy hòm thư này" in page.get_data(as_text=True)
    assert client.get("/y-kien/%3Cscript%3E").status_code == 404

    world.box.is_open = False
    db.session.flush()
    closed = client.post(submit_url(world.box), json=submission())
    assert closed.status_code == 404
    assert client.get(f"/y-kien/{world.box.code}").status_code == 404


def test_the_box_page_in_three_languages(client, world):
    vi = client.get(f"/y-kien/{world.box.code}")
    assert vi.status_code == 200
    html = vi.get_data(as_text=True)
    assert "Gửi ý kiến" in html and "Nhà văn hóa tổ dân phố Đông Thịnh" in html
    assert "Đất đai" in html and 'name="website"' in html          # topics, the honeypot
    assert "<script type=\"module\"" in html and "<style" not in html
    assert "script-src 'self'" in vi.headers["Content-Security-Policy"]
    assert "Send" in client.get(f"/y-kien/{world.box.code}?lang=en").get_data(as_text=True)
    km = client.get(f"/y-kien/{world.box.code}?lang=km").get_data(as_text=True)
    assert "ផ្ញើយោបល់" in km and 'lang="km"' in km


def test_the_follow_up_page_shows_the_reply_not_the_message(client, world, db):
    from server.suggestions.handling import reply

    answer = client.post(submit_url(world.box), json=submission(message="Nội dung riêng tư"))
    receipt = answer.get_json()["receipt_code"]
    message = db.session.query(SuggestionMessage).one()
    reply(message, world.users["official_a"], "Phường đã thay bóng đèn ngày 12/5.")
    page = client.get(f"/y-kien/theo-doi/{receipt}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Phường đã thay bóng đèn ngày 12/5." in html and "Đã trả lời" in html
    assert "Nội dung riêng tư" not in html
    # typed by hand, in lower case with dashes: the form leads to the same page
    typed = "-".join(receipt[i:i + 4] for i in (0, 4, 8)).lower()
    found = client.get(f"/y-kien/theo-doi?ma={typed}")
    assert found.status_code == 302 and receipt in found.headers["Location"]
    assert client.get("/y-kien/theo-doi/AAAAAAAAAAAA").status_code == 404
    assert client.get("/y-kien/theo-doi?ma=x").status_code == 404
    assert client.get("/y-kien/theo-doi").status_code == 200


def test_a_uuid_of_another_box_is_a_conflict(client, world, factory, db):
    from server.suggestions.boxes import create_box

    other = create_box(world.users["admin"], world.commune_b, "Bộ phận một cửa xã Gia Viễn")
    body = submission()
    assert client.post(submit_url(world.box), json=body).status_code == 201
    clash = client.post(submit_url(other), json=body)
    assert clash.status_code == 409 and clash.get_json()["error"]["code"] == "uuid_conflict"


def test_bad_fields_answer_400_with_the_field(client, world):
    cases = [({"client_uuid": "not-a-uuid"}, "client_uuid"), ({"rating": 6}, "rating"),
             ({"rating": 2.5}, "rating"), ({"message": 5}, "message")]
    for change, field in cases:
        answer = client.post(submit_url(world.box), json=submission(**change))
        assert answer.status_code == 400, change
        assert field in answer.get_json()["error"]["details"]["fields"]["json"], change
    unknown_topic = client.post(submit_url(world.box), json=submission(topic="khong_co"))
    assert unknown_topic.status_code == 400
    assert unknown_topic.get_json()["error"]["code"] == "unknown_topic"
    empty = client.post(submit_url(world.box), json=submission(message="   \n "))
    assert empty.get_json()["error"]["code"] == "message_required"
    broken = client.post(submit_url(world.box), data=b'{"client_uuid": "%s", "message": "\\ud800"}'
                         % str(uuid.uuid4()).encode(), content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["error"]["code"] == "broken_text"
