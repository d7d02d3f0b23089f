"""The People pages (/admin/people): the list and its filters, adding people, a person's
actions (edit, units, deactivate, reset the password, sign devices out) and Import, through
the test client logged in via POST /login."""

import base64
import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from server.audit.models import AuditEntry
from server.auth.models import WebSession
from server.db_types import utcnow
from server.people.models import DeviceToken, User
from tests.admin.conftest import csrf_token, log_in
from tests.conftest import auth_header


@pytest.fixture
def world(factory):
    province = factory.unit("Tỉnh Ninh Bình", "province", code="ninh-binh")
    ward = factory.unit("Phường Hoa Lư", "ward", parent=province, code="hoa-lu")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward, code="tdp-1")
    commune = factory.unit("Xã Gia Viễn", "commune", parent=province, code="gia-vien")
    village = factory.unit("Thôn Đồng Tâm", "village", parent=commune, code="dong-tam")
    admin = factory.user("quantri", "admin", display_name="Quản Trị")
    an = factory.user("an.nguyen", "volunteer", units=[group], display_name="Nguyễn Văn An")
    an.phone, an.last_sync_at, an.last_app_version, an.last_queued_count = \
        "0912345678", utcnow() - timedelta(hours=3), "1.4.2", 7
    binh = factory.user("binh.tran", "volunteer", units=[village], display_name="Trần Thị Bình")
    lan = factory.user("lan.le", "official", units=[ward], display_name="Lê Thị Lan")
    return {"ward": ward, "group": group, "village": village, "admin": admin, "an": an,
            "binh": binh, "lan": lan}


@pytest.fixture
def admin_client(client, world, web_login):
    web_login(world["admin"])
    return client


def _post(client, path, data=None, **kwargs):
    return client.post(path, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def _user(db, username):
    return db.session.scalar(select(User).where(User.username == username))


def test_the_list_shows_sync_columns_and_filters(admin_client, world):
    page = admin_client.get("/admin/people/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Lan", "Quản Trị"):
        assert name in html
    assert "1.4.2" in html and ">7<" in html and "Đồng bộ lần cuối" in html
    assert ">Người dùng<" in html and "Import" in html
    assert ' style="' not in html and "<script>" not in html

    def names(query):
        text = admin_client.get("/admin/people/?" + query).get_data(as_text=True)
        text = text[text.index("<tbody>"):]                   # not the signed-in admin's name
        return {name for name in ("Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Lan", "Quản Trị")
                if name in text}

    assert names("role=volunteer") == {"Nguyễn Văn An", "Trần Thị Bình"}
    assert names(f"unit={world['ward'].id}") == {"Nguyễn Văn An", "Lê Thị Lan"}   # and below it
    assert names("q=0912") == {"Nguyễn Văn An"}
    assert names("role=planet&unit=abc&active=maybe&page=-3") == {
        "Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Lan", "Quản Trị"}


def test_inactive_people_are_listed_on_request(admin_client, world, db):
    world["binh"].is_active = False
    db.session.flush()
    assert "Trần Thị Bình" not in admin_client.get("/admin/people/").get_data(as_text=True)
    assert "Trần Thị Bình" in admin_client.get("/admin/people/?active=0").get_data(as_text=True)
    assert "Trần Thị Bình" in admin_client.get("/admin/people/?active=").get_data(as_text=True)


def test_no_sign_in_cards_button_until_its_page_exists(admin_client, world, app):
    html = admin_client.get("/admin/people/").get_data(as_text=True)
    if "people_admin.signin_cards" in app.view_functions:
        assert 'form="people-selection"' in html and 'name="user_ids"' in html
    else:
        assert 'name="user_ids"' not in html and "people-selection" not in html


def test_adding_a_person_shows_the_password_once_and_keeps_only_its_hash(admin_client, world, db):
    response = _post(admin_client, "/admin/people/new", {
        "display_name": "Phạm Văn Cường", "username": "Cuong.Pham", "phone": "0988 111 222",
        "role": "volunteer", "unit_ids": [str(world["group"].id)]})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    password = re.search(r'<span class="secret" data-secret>([^<]+)</span>', html).group(1)
    user = _user(db, "cuong.pham")
    assert check_password_hash(user.password_hash, password) and password not in user.password_hash
    assert user.phone == "0988111222" and [u.code for u in user.units] == ["tdp-1"]
    with admin_client.session_transaction() as session:
        assert password not in str(dict(session))                # never in the cookie
    created = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.created"))
    assert created.details["after"]["username"] == "cuong.pham"
    assert password not in str(created.details)
    again = admin_client.get(f"/admin/people/{user.id}").get_data(as_text=True)
    assert password not in again


def test_adding_refusals_show_the_form_again(admin_client, world):
    taken = _post(admin_client, "/admin/people/new", {
        "display_name": "X", "username": "an.nguyen", "role": "volunteer"})
    assert taken.status_code == 409 and "đã tồn tại" in taken.get_data(as_text=True)
    for data in ({"display_name": "X", "username": "x y", "role": "volunteer"},
                 {"display_name": "", "username": "xy", "role": "volunteer"},
                 {"display_name": "X", "username": "xy", "role": "king"},
                 {"display_name": "X", "username": "xy", "role": "volunteer", "phone": "abc"},
                 {"display_name": "X", "username": "xy", "role": "volunteer", "unit_ids": ["abc"]},
                 {"display_name": "X", "username": "xy", "role": "volunteer",
                  "unit_ids": ["999999"]}):
        response = _post(admin_client, "/admin/people/new", data)
        assert response.status_code == 400, data
        assert 'class="flash error"' in response.get_data(as_text=True)


def test_edit_and_assign_units_are_audited_with_before_and_after(admin_client, world, db):
    an = world["an"]
    assert _post(admin_client, f"/admin/people/{an.id}/edit", {
        "display_name": "Nguyễn Văn Ân", "phone": "", "role": "volunteer"}).status_code == 302
    assert _post(admin_client, f"/admin/people/{an.id}/units", {
        "unit_ids": [str(world["group"].id), str(world["village"].id)]}).status_code == 302
    db.session.refresh(an)
    assert an.display_name == "Nguyễn Văn Ân" and an.phone is None
    assert sorted(unit.code for unit in an.units) == ["dong-tam", "tdp-1"]
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.updated", AuditEntry.object_id == str(an.id))
        .order_by(AuditEntry.id)).all()
    assert entries[0].details["before"]["display_name"] == "Nguyễn Văn An"
    assert entries[0].details["after"]["phone"] is None
    assert entries[1].details["after"]["unit_codes"] == ["dong-tam", "tdp-1"]


def test_deactivating_ends_every_login(admin_client, client, world, db, factory):
    lan = world["lan"]
    token = factory.token(lan)
    db.session.add(WebSession(key_hash="x" * 64, user=lan, expires_at=utcnow() + timedelta(days=1)))
    db.session.flush()
    assert _post(admin_client, f"/admin/people/{lan.id}/deactivate").status_code == 302
    db.session.refresh(lan)
    assert not lan.is_active
    assert client.get("/api/v1/me/assignments", headers=auth_header(token)).status_code == 401
    session_row = db.session.scalar(select(WebSession).where(WebSession.user_id == lan.id))
    assert session_row.revoked_at is not None
    assert _post(admin_client, f"/admin/people/{lan.id}/reactivate").status_code == 302
    db.session.refresh(lan)
    assert lan.is_active


def test_an_admin_cannot_lock_themselves_out(admin_client, world, db):
    admin = world["admin"]
    assert _post(admin_client, f"/admin/people/{admin.id}/deactivate").status_code == 409
    refused = _post(admin_client, f"/admin/people/{admin.id}/edit",
                    {"display_name": "Quản Trị", "role": "volunteer"})
    assert refused.status_code == 409
    db.session.refresh(admin)
    assert admin.is_active and admin.role == "admin"


def test_reset_password_shows_it_in_the_response_and_ends_logins(admin_client, world, db,
                                                                 factory, client):
    an = world["an"]
    token = factory.token(an)
    response = _post(admin_client, f"/admin/people/{an.id}/password")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r'data-secret>([^<]+)<', response.get_data(as_text=True)).group(1)
    db.session.refresh(an)
    assert check_password_hash(an.password_hash, password)
    assert client.get("/api/v1/me/assignments", headers=auth_header(token)).status_code == 401
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.password_reset"))
    assert password not in str(entry.details)


def test_revoking_devices_one_or_all(admin_client, world, db, factory, client):
    an = world["an"]
    first, second = factory.token(an, name="Điện thoại 1"), factory.token(an, name="Điện thoại 2")
    page = admin_client.get(f"/admin/people/{an.id}").get_data(as_text=True)
    assert "Điện thoại 1" in page and "Điện thoại 2" in page
    one = db.session.scalar(select(DeviceToken).where(DeviceToken.name == "Điện thoại 1"))
    assert _post(admin_client, f"/admin/people/{an.id}/devices/revoke",
                 {"token_id": str(one.id)}).status_code == 302
    assert client.get("/api/v1/me/assignments", headers=auth_header(first)).status_code == 401
    assert client.get("/api/v1/me/assignments", headers=auth_header(second)).status_code == 200
    assert _post(admin_client, f"/admin/people/{an.id}/devices/revoke").status_code == 302
    assert client.get("/api/v1/me/assignments", headers=auth_header(second)).status_code == 401
    assert _post(admin_client, f"/admin/people/{an.id}/devices/revoke").status_code == 409
    assert _post(admin_client, f"/admin/people/{an.id}/devices/revoke",
                 {"token_id": "x"}).status_code == 404


def _upload(client, content: bytes, filename: str):
    return _post(client, "/admin/people/import", {"file": (io.BytesIO(content), filename)},
                 content_type="multipart/form-data")


IMPORT = """họ tên;tên đăng nhập;điện thoại;mã đơn vị
Phạm Thị Dung;dung.pham;0977 000 111;tdp-1
=HYPERLINK("http://x");cong.thuc;;dong-tam
Nguyễn Văn An;an.nguyen;0912345678;tdp-1, dong-tam
Lỗi;;;tdp-1
"""


def test_import_dry_run_then_apply_with_passwords_and_a_csv(admin_client, world, db):
    uploaded = _upload(admin_client, ("\ufeff" + IMPORT).encode(), "tnv.csv")
    assert uploaded.status_code == 302
    plan_url = uploaded.headers["Location"]
    html = admin_client.get(plan_url).get_data(as_text=True)
    assert _user(db, "dung.pham") is None
    assert html.count('<tr class="outcome-create"') == 2
    assert html.count('<tr class="outcome-update"') == 1 and html.count('<tr class="outcome-error"') == 1
    assert "2 tạo mới, 1 cập nhật" in " ".join(html.split())      # the Apply button
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)

    applied = _post(admin_client, plan_url + "/apply",
                    {"fingerprint": fingerprint, "passwords": "generate"})
    assert applied.status_code == 200 and applied.headers["Cache-Control"] == "no-store"
    page = applied.get_data(as_text=True)
    link = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', page).group(1)
    rows = list(csv.reader(io.StringIO(base64.b64decode(link).decode("utf-8-sig"))))
    by_username = {row[1]: row for row in rows[1:]}
    assert set(by_username) == {"dung.pham", "cong.thuc"}
    assert by_username["cong.thuc"][0] == "'=HYPERLINK(\"http://x\")"   # not a formula in Excel
    dung = _user(db, "dung.pham")
    assert check_password_hash(dung.password_hash, by_username["dung.pham"][2])
    assert by_username["dung.pham"][2] in page                         # listed once, here
    assert _user(db, "cong.thuc").display_name == '=HYPERLINK("http://x")'
    assert sorted(u.code for u in _user(db, "an.nguyen").units) == ["dong-tam", "tdp-1"]
    assert admin_client.get(plan_url).status_code == 404
    with admin_client.session_transaction() as session:
        assert by_username["dung.pham"][2] not in str(dict(session))

    again = _upload(admin_client, IMPORT.encode(), "tnv.csv")
    html = admin_client.get(again.headers["Location"]).get_data(as_text=True)
    assert html.count('<tr class="outcome-unchanged"') == 3


def test_import_without_passwords(admin_client, world, db):
    uploaded = _upload(admin_client, IMPORT.encode(), "tnv.csv")
    html = admin_client.get(uploaded.headers["Location"]).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    applied = _post(admin_client, uploaded.headers["Location"] + "/apply",
                    {"fingerprint": fingerprint, "passwords": "none"})
    assert applied.status_code == 200 and "data:text/csv" not in applied.get_data(as_text=True)
    assert not _user(db, "dung.pham").password_hash.startswith("scrypt")


def test_a_stale_plan_is_shown_again_not_applied(admin_client, world, db, factory):
    uploaded = _upload(admin_client, IMPORT.encode(), "tnv.csv")
    html = admin_client.get(uploaded.headers["Location"]).get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    factory.user("dung.pham", "official")              # meanwhile someone took the username
    response = _post(admin_client, uploaded.headers["Location"] + "/apply",
                     {"fingerprint": fingerprint, "passwords": "none"})
    assert response.status_code == 409 and "thay đổi" in response.get_data(as_text=True)
    assert _user(db, "cong.thuc") is None


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"", "people.csv", "Tệp trống"),
    (b"\n\n ,  ,\n", "people.csv", "Tệp trống"),
    (b"GIF89a\x00\x00", "people.gif", "Chỉ nhận tệp CSV hoặc XLSX"),
    (b"PK\x03\x04not a zip", "people.xlsx", "Không đọc được tệp XLSX"),
])
def test_bad_files_show_the_upload_page_again(admin_client, world, content, filename, message):
    response = _upload(admin_client, content, filename)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_a_ten_thousand_row_file_gets_a_dry_run(admin_client, world):
    lines = ["name,username,unit codes"] + [f"Người {n},nguoi{n},tdp-1" for n in range(10_000)]
    uploaded = _upload(admin_client, "\n".join(lines).encode(), "big.csv")
    assert uploaded.status_code == 302
    html = admin_client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert html.count('<tr class="outcome-create"') == 10_000
    assert 'value="generate" disabled' in html           # too many for passwords: cards


def test_a_volunteer_cannot_use_the_console_even_with_a_password(client, world):
    log_in(client, "an.nguyen")
    assert client.get("/admin/people/").status_code == 403


def test_the_sign_in_cards_slot_posts_the_ticked_people(tmp_path):
    """Once people_admin.signin_cards exists, the list offers it for the people ticked."""
    from server import create_app
    from server.extensions import db as database
    from server.people.services import create_user

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'cards.db'}",
                      "TESTING": True, "SECRET_KEY": "test", "SCHEDULER_ENABLED": False})
    app.instance_path = str(tmp_path)
    received = []

    def signin_cards():
        from flask import request
        received.extend(request.form.getlist("user_ids"))
        return "cards"

    stand_in = "people_admin.signin_cards" not in app.view_functions
    if stand_in:  # before the sign-in cards page exists, a stand-in takes its place
        app.add_url_rule("/admin/people/signin-cards", endpoint="people_admin.signin_cards",
                         view_func=signin_cards, methods=["POST"])
    try:
        with app.app_context():
            database.create_all()
            create_user("quantri", "pw", "admin")
            volunteer = create_user("tnv", "pw", "volunteer", "Tình Nguyện")
            volunteer_id = volunteer.id
            database.session.commit()
        browser = log_in(app.test_client(), "quantri")
        html = browser.get("/admin/people/").get_data(as_text=True)
        assert 'action="/admin/people/signin-cards"' in html and 'form="people-selection"' in html
        assert f'name="user_ids" value="{volunteer_id}"' in html
        if stand_in:
            response = browser.post("/admin/people/signin-cards", data={
                "csrf_token": csrf_token(browser), "user_ids": [str(volunteer_id)]})
            assert response.status_code == 200 and received == [str(volunteer_id)]
    finally:
        with app.app_context():
            database.session.remove()
            database.engine.dispose()
