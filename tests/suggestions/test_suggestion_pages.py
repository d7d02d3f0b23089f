"""The console's suggestion-box pages: an official makes a box, prints its poster, handles a
message (assign, reply, close, publish) and reads the figures; another commune's official
sees none of it; the admin maintains the topics."""

import re

from server.suggestions.models import SuggestionBox, SuggestionMessage, SuggestionTopic
from tests.admin.conftest import csrf_token
from tests.suggestions.conftest import submission, submit_url


def test_an_official_makes_a_box_and_prints_its_poster(client, web_login, world, db):
    web_login(world.users["official_a"])
    page = client.get("/admin/suggestions/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nhà văn hóa tổ dân phố Đông Thịnh" in html
    assert "Hòm thư góp ý" in html                                  # in the console's menu
    made = client.post("/admin/suggestions/boxes", data={
        "unit_id": world.commune_a.id, "name": "Bộ phận một cửa phường",
        "csrf_token": csrf_token(client)})
    assert made.status_code == 302
    box = db.session.query(SuggestionBox).filter_by(name="Bộ phận một cửa phường").one()
    detail = client.get(made.headers["Location"]).get_data(as_text=True)
    assert f"/y-kien/{box.code}" in detail
    poster = client.get(f"/admin/suggestions/boxes/{box.id}/poster.pdf")
    assert poster.status_code == 200 and poster.data.startswith(b"%PDF")
    refused = client.post("/admin/suggestions/boxes", data={
        "unit_id": world.commune_b.id, "name": "Không được", "csrf_token": csrf_token(client)})
    assert refused.status_code == 400


def test_an_official_handles_a_message_in_the_console(client, web_login, world, db):
    receipt = client.post(submit_url(world.box), json=submission(
        message="Cống thoát nước bị tắc.", contact="0912 000 111")).get_json()["receipt_code"]
    message = db.session.query(SuggestionMessage).one()
    web_login(world.users["official_a"])
    url = f"/admin/suggestions/messages/{message.id}"
    html = client.get(url).get_data(as_text=True)
    assert "Cống thoát nước bị tắc." in html and "0912 000 111" not in html
    token = csrf_token(client)
    assert client.post(f"{url}/assign", data={"user_id": world.users["official_a"].id,
                                              "csrf_token": token}).status_code == 302
    assert "0912 000 111" in client.get(url).get_data(as_text=True)  # now theirs to handle
    assert client.post(f"{url}/reply", data={"body": "Đã nạo vét ngày 3/6.",
                                             "csrf_token": token}).status_code == 302
    empty = client.post(f"{url}/reply", data={"body": "  ", "csrf_token": token})
    assert empty.status_code == 400 and "Vui lòng viết nội dung trả lời." in empty.get_data(
        as_text=True)
    assert client.post(f"{url}/moderation", data={"action": "publish",
                                                  "csrf_token": token}).status_code == 302
    assert client.post(f"{url}/close", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    message = db.session.get(SuggestionMessage, message.id)
    assert (message.status, message.moderation) == ("closed", "published")
    follow = client.get(f"/y-kien/theo-doi/{receipt}").get_data(as_text=True)
    assert "Đã nạo vét ngày 3/6." in follow and "Đã đóng" in follow
    from server.audit.models import AuditEntry
    actions = [entry.action for entry in db.session.query(AuditEntry).filter_by(
        object_type="suggestion_message").order_by(AuditEntry.id)]
    assert actions == ["suggestion_message.assigned", "suggestion_message.replied",
                       "suggestion_message.published", "suggestion_message.closed"]


def test_another_communes_official_sees_nothing(client, web_login, world, db):
    client.post(submit_url(world.box), json=submission())
    message = db.session.query(SuggestionMessage).one()
    web_login(world.users["official_b"])
    html = client.get("/admin/suggestions/").get_data(as_text=True)
    assert "Đông Thịnh" not in html
    assert client.get(f"/admin/suggestions/boxes/{world.box.id}").status_code == 404
    assert client.get(f"/admin/suggestions/messages/{message.id}").status_code == 404
    assert client.post(f"/admin/suggestions/messages/{message.id}/close",
                       data={"csrf_token": csrf_token(client)}).status_code == 404


def test_the_figures_page_and_its_panel(client, web_login, world, db):
    for n in range(6):
        client.post(submit_url(world.box), json=submission(message=f"Ý kiến {n}", topic="dat_dai"))
    web_login(world.users["official_a"])
    page = client.get(f"/admin/suggestions/report?unit={world.commune_a.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r'id="sb-total">6<', html)
    assert "Đất đai" in html
    bad = client.get("/admin/suggestions/report?from=2026-13-01&to=x&unit=abc")
    assert bad.status_code == 200
    reversed_dates = client.get("/admin/suggestions/report?from=2026-05-02&to=2026-05-01")
    assert 'class="flash error"' in reversed_dates.get_data(as_text=True)


def test_the_admin_maintains_topics_in_the_console(client, web_login, world, db):
    web_login(world.users["admin"])
    assert "Đất đai" in client.get("/admin/suggestions/topics").get_data(as_text=True)
    added = client.post("/admin/suggestions/topics", data={
        "key": "giao_thong", "label_vi": "Giao thông", "label_en": "Traffic",
        "csrf_token": csrf_token(client)})
    assert added.status_code == 302
    topic = db.session.query(SuggestionTopic).filter_by(key="giao_thong").one()
    assert client.post(f"/admin/suggestions/topics/{topic.id}", data={
        "is_active": "0", "csrf_token": csrf_token(client)}).status_code == 302
    assert "Giao thông" not in client.get(f"/y-kien/{world.box.code}").get_data(as_text=True)
    web_login(world.users["official_a"])
    assert client.get("/admin/suggestions/topics").status_code == 403


def test_a_refusal_shows_the_form_it_came_from_with_its_message(client, web_login, world, db):
    web_login(world.users["admin"])
    topic_page = client.post("/admin/suggestions/topics", data={
        "key": "dat_dai", "label_vi": "Đất", "csrf_token": csrf_token(client)})
    html = topic_page.get_data(as_text=True)
    assert topic_page.status_code == 409 and "Đã có chủ đề với mã này." in html
    assert 'name="label_km"' in html                                   # the topics' form
    box_url = f"/admin/suggestions/boxes/{world.box.id}"
    box_page = client.post(box_url, data={"name": "x" * 201, "csrf_token": csrf_token(client)})
    html = box_page.get_data(as_text=True)
    assert box_page.status_code == 400 and "Tên hòm thư dài quá" in html
    assert f"/y-kien/{world.box.code}" in html                          # the box's own page
    db.session.expire_all()
    assert db.session.get(SuggestionBox, world.box.id).name == "Nhà văn hóa tổ dân phố Đông Thịnh"
    listing = client.post("/admin/suggestions/boxes", data={"unit_id": "0", "name": "X",
                                                            "csrf_token": csrf_token(client)})
    assert listing.status_code == 400
    assert "Hãy chọn một đơn vị bạn quản lý." in listing.get_data(as_text=True)
    assert "Ý kiến mới nhất" in listing.get_data(as_text=True)         # the boxes' page
