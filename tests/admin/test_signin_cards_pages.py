"""Sign-in cards on the People pages: tick people, review, download the PDF whose QR links
sign a phone in; revoke a person's cards from their page. Audited."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.auth.models import SigninCode
from server.auth.signin_codes import issue_codes
from tests.admin.conftest import csrf_token, log_in

CARDS = "/admin/people/signin-cards"


@pytest.fixture
def world(factory, db):
    ward = factory.unit("Phường Hoa Lư", "ward", code="hoa-lu")
    group = factory.unit("Tổ dân phố Đông Thịnh", "residential_group", parent=ward, code="tdp-1")
    admin = factory.user("admin", "admin", display_name="Quản Trị")
    lan = factory.user("tnv.lan", "volunteer", units=[group], display_name="Nguyễn Thị Lan")
    official = factory.user("canbo", "official", units=[ward], display_name="Cán Bộ Xã")
    gone = factory.user("tnv.cu", "volunteer", units=[group], display_name="Người Đã Nghỉ")
    gone.is_active = False
    db.session.commit()
    return {"admin": admin, "lan": lan, "official": official, "gone": gone}


@pytest.fixture
def admin_client(client, world):
    return log_in(client, "admin")


def _post(client, path, **fields):
    return client.post(path, data={"csrf_token": csrf_token(client), **fields})


def _pdf_urls(pdf: bytes) -> list[str]:
    text = "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)
    return re.findall(r"https?://[^\s]+?/app/#signin=[A-Za-z0-9_-]{43}", text)


def test_the_people_list_offers_sign_in_cards_for_the_ticked_people(admin_client, world):
    page = admin_client.get("/admin/people/").get_data(as_text=True)
    assert f'action="{CARDS}"' in page and "Sign-in cards" in page
    assert f'name="user_ids" value="{world["lan"].id}"' in page


def test_the_review_says_who_gets_a_card_and_that_old_cards_stop_working(admin_client, world):
    lan, official, gone = world["lan"], world["official"], world["gone"]
    issue_codes([lan], world["admin"].id)         # Lan already has a card
    response = admin_client.post(CARDS, data={
        "csrf_token": csrf_token(admin_client),
        "user_ids": [str(lan.id), str(official.id), str(gone.id)]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "Tổ dân phố Đông Thịnh" in page
    assert "In thẻ mới sẽ thu hồi mọi thẻ cũ chưa dùng" in page
    assert "sẽ bị thu hồi" in page                    # Lan's earlier card
    assert "chỉ dành cho tình nguyện viên" in page and "tài khoản đã ngừng" in page
    download = page.split('name="print"')[0].rsplit("<form", 1)[1]
    assert f'value="{lan.id}"' in download
    assert f'value="{official.id}"' not in download and f'value="{gone.id}"' not in download


def test_printing_gives_a_pdf_whose_links_sign_in_once(admin_client, world, db):
    lan, admin = world["lan"], world["admin"]
    response = _post(admin_client, CARDS, user_ids=str(lan.id), print="1")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    pdf = response.get_data()
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Nguyễn Thị Lan" in text and "Tổ dân phố Đông Thịnh" in text and "tnv.lan" in text
    [url] = _pdf_urls(pdf)
    assert url.startswith("http://localhost/app/#signin=")
    code = url.split("#signin=")[1]
    assert db.session.scalars(select(SigninCode)).one().code_hash != code
    signed_in = admin_client.post("/api/v1/auth/signin-code", json={"code": code})
    assert signed_in.status_code == 201
    assert signed_in.get_json()["user"]["username"] == "tnv.lan"
    printed = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.signin_card_printed")).one()
    assert (printed.actor_id, printed.object_id) == (admin.id, str(lan.id))


def test_the_public_address_is_printed_when_configured(admin_client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://langnghe.example.vn/")
    response = _post(admin_client, CARDS, user_ids=str(world["lan"].id), print="1")
    [url] = _pdf_urls(response.get_data())
    assert url.startswith("https://langnghe.example.vn/app/#signin=")


def test_printing_for_someone_who_cannot_have_a_card_shows_the_review_again(admin_client,
                                                                            world, db):
    response = _post(admin_client, CARDS, user_ids=str(world["official"].id), print="1")
    assert response.status_code == 409
    assert "Danh sách đã thay đổi" in response.get_data(as_text=True)
    assert db.session.scalars(select(SigninCode)).all() == []


def test_no_selection_too_many_and_unknown_people(admin_client, world):
    assert _post(admin_client, CARDS).status_code == 400
    assert "Hãy chọn" in _post(admin_client, CARDS).get_data(as_text=True)
    too_many = [str(n) for n in range(1, 502)]
    assert _post(admin_client, CARDS, user_ids=too_many).status_code == 400
    for bad in ("999999", "abc", "-1", str(2**70)):
        assert _post(admin_client, CARDS, user_ids=bad).status_code == 404, bad


def test_a_persons_page_shows_their_card_and_revokes_it(admin_client, world, db):
    lan, admin = world["lan"], world["admin"]
    page = admin_client.get(f"/admin/people/{lan.id}").get_data(as_text=True)
    assert "Không có thẻ nào còn hiệu lực" in page and "In thẻ đăng nhập" in page
    [issued] = issue_codes([lan], admin.id)
    db.session.commit()
    page = admin_client.get(f"/admin/people/{lan.id}").get_data(as_text=True)
    assert "Thu hồi thẻ đăng nhập" in page
    response = _post(admin_client, f"/admin/people/{lan.id}/signin-cards/revoke")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/people/{lan.id}")
    assert "Đã thu hồi thẻ đăng nhập" in admin_client.get(
        response.headers["Location"]).get_data(as_text=True)
    refused = admin_client.post("/api/v1/auth/signin-code", json={"code": issued.code})
    assert refused.status_code == 401
    revoked = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.signin_cards_revoked")).one()
    assert (revoked.actor_id, revoked.object_id) == (admin.id, str(lan.id))
    again = _post(admin_client, f"/admin/people/{lan.id}/signin-cards/revoke")
    assert "không có thẻ đăng nhập nào" in admin_client.get(
        again.headers["Location"]).get_data(as_text=True)


def test_an_officials_page_says_cards_are_for_volunteers(admin_client, world):
    page = admin_client.get(f"/admin/people/{world['official'].id}").get_data(as_text=True)
    assert "Thẻ đăng nhập chỉ dành cho tình nguyện viên đang hoạt động." in page
