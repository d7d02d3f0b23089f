"""The console's desk pages and the kiosk screen's entry page."""

import re
from datetime import timedelta

from sqlalchemy import select

from server.db_types import utcnow
from server.extensions import db
from server.kiosks.models import KioskDesk
from tests.admin.conftest import csrf_token
from tests.conftest import auth_header
from tests.kiosks.conftest import API, rating


def test_an_official_makes_a_desk_and_a_pairing_code_in_the_console(client, world, web_login):
    web_login(world.users["official_a"])
    listing = client.get("/admin/kiosks/").get_data(as_text=True)
    assert "Bộ phận một cửa" in listing and "Bàn một cửa" in listing
    made = client.post("/admin/kiosks/", data={
        "unit_id": world.group_a1.id, "name": "Quầy tổ dân phố", "services": "Hộ tịch\r\nĐất đai\r\n",
        "min_interval_seconds": "30", "csrf_token": csrf_token(client)})
    assert made.status_code == 302
    desk = db.session.scalar(select(KioskDesk).where(KioskDesk.name == "Quầy tổ dân phố"))
    assert desk.services == ["Hộ tịch", "Đất đai"] and desk.min_interval_seconds == 30
    page = client.post(f"/admin/kiosks/{desk.id}/pair",
                       data={"csrf_token": csrf_token(client)}).get_data(as_text=True)
    code = re.search(r'id="pairing-code">([A-Z0-9-]+)<', page).group(1)
    assert client.post(f"{API}/pair", json={"code": code}).status_code == 201
    bad = client.post("/admin/kiosks/", data={"unit_id": world.commune_b.id, "name": "X",
                                              "csrf_token": csrf_token(client)})
    assert bad.status_code == 400


def test_the_desk_page_shows_counts_by_hour_and_flagged_ratings(client, world, web_login, factory):
    code = client.post(f"{API}/{world.desk.id}/pairing-codes",
                       headers=auth_header(factory.token(world.users["admin"])))
    paired = client.post(f"{API}/pair", json={"code": code.get_json()["code"]}).get_json()
    at = utcnow() - timedelta(hours=30)
    client.post(f"{API}/device/ratings", headers=auth_header(paired["token"]), json={
        "ratings": [rating(at), rating(at + timedelta(seconds=3))]})
    web_login(world.users["admin"])
    from zoneinfo import ZoneInfo
    day = at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    page = client.get(f"/admin/kiosks/{world.desk.id}?date={day.isoformat()}").get_data(as_text=True)
    hourly = page.split('id="hourly"')[1].split("</table>")[0]
    assert re.search(r'<td class="num">2</td><td class="num">1</td><td class="num">1</td>', hourly)
    assert "Quá sát lần trước" in page.split('id="flagged"')[1]


def test_a_refusal_shows_the_form_again_with_its_message(client, world, web_login, factory):
    web_login(world.users["official_a"])
    url = f"/admin/kiosks/{world.desk.id}"
    services = "\n".join(f"Thủ tục {n}" for n in range(31))
    refused = client.post(url, data={"name": "Đổi tên", "services": services,
                                     "csrf_token": csrf_token(client)})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Một bàn có tối đa 30 thủ tục." in html
    assert 'role="alert"' in html and "Tạo mã ghép nối" in html       # the desk's own page
    db.session.expire_all()
    assert db.session.get(KioskDesk, world.desk.id).name == "Bộ phận một cửa"   # rolled back
    assert client.post(url, data={"name": "Bộ phận một cửa", "services": "Hộ tịch",
                                  "csrf_token": csrf_token(client)}).status_code == 302
    client.post(url, data={"name": "Bộ phận một cửa", "is_active": "false",
                           "csrf_token": csrf_token(client)})
    closed = client.post(f"{url}/pair", data={"csrf_token": csrf_token(client)})
    assert closed.status_code == 409
    assert "Bàn này đã đóng; mở lại trước khi ghép máy." in closed.get_data(as_text=True)
    api = client.post(f"{API}/{world.desk.id}/pairing-codes",
                      headers=auth_header(factory.token(world.users["official_a"])))
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "desk_closed"
    listing = client.post("/admin/kiosks/", data={"unit_id": world.commune_b.id, "name": "X",
                                                  "csrf_token": csrf_token(client)})
    assert listing.status_code == 400
    assert "Hãy chọn một đơn vị bạn quản lý." in listing.get_data(as_text=True)
    assert "Các bàn" in listing.get_data(as_text=True)                 # the desks' page


def test_who_reaches_the_desk_pages(client, world, web_login):
    assert client.get("/admin/kiosks/").status_code == 302
    web_login(world.users["official_b"])
    assert client.get(f"/admin/kiosks/{world.desk.id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    web_login(world.users["volunteer"])
    assert client.get("/admin/kiosks/").status_code == 403


def test_the_kiosk_screen_and_its_service_worker(client):
    page = client.get("/kiosk/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Ông/bà có hài lòng với việc giải quyết hồ sơ hôm nay?" in html
    assert html.count('class="face"') == 5 and "<script>" not in html and "style=" not in html
    worker = client.get("/kiosk/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert "Content-Security-Policy" in page.headers
