"""The officials' reports pages."""

import re


def test_official_sees_own_commune_progress_figures_and_downloads(login, dataset):
    client = login(dataset.official)
    page = client.get("/reports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Đợt 2 năm 2026" in html and "Đợt 1 năm 2026" in html
    assert "Phường Đông Hòa" in html and "Tổ dân phố Đông Thịnh" in html
    assert "Xã Quỳnh Lưu" not in html and "Thôn Đồng Tâm" not in html
    assert re.search(r'<meter min="0" max="20" value="18"', html)   # Bắc Sơn: 18 of 20
    assert "43 / 60" in html                                        # responses vs target
    assert "ẩn" in html                                             # Kỳ Lân is too small
    assert ' style="' not in html                                   # the CSP forbids it
    commune = dataset.communes["Phường Đông Hòa"]
    pdf = f"/api/v1/rounds/{dataset.current.id}/units/{commune.id}/report.pdf"
    assert f'href="{pdf}"' in html and f'href="{pdf}?lang=en"' in html
    assert "export.csv" not in html   # exports are for admins


def test_unit_page_and_scope(login, dataset, factory):
    client = login(dataset.official)
    group = dataset.groups["Tổ dân phố Đông Thịnh"]
    page = client.get(f"/reports/rounds/{dataset.current.id}/units/{group.id}")
    assert page.status_code == 200
    assert "Tổ dân phố Đông Thịnh" in page.get_data(as_text=True)
    other = dataset.communes["Xã Quỳnh Lưu"]
    assert client.get(f"/reports/rounds/{dataset.current.id}/units/{other.id}").status_code == 403
    assert client.get(f"/reports/rounds/999/units/{group.id}").status_code == 404


def test_admin_sees_the_province_and_export_buttons(login, dataset, factory):
    client = login(factory.user("quantri", "admin"))
    html = client.get("/reports").get_data(as_text=True)
    # the province's headline figures; its communes are on the round's units page
    assert "Tỉnh Ninh Bình" in html and "Chỉ số hài lòng chung" in html
    assert f"/api/v1/rounds/{dataset.current.id}/export.csv" in html
    units = client.get(f"/reports/rounds/{dataset.current.id}").get_data(as_text=True)
    assert "Xã Quỳnh Lưu" in units


def test_volunteer_and_anonymous_cannot_open_the_page(client, login, dataset):
    assert client.get("/reports").status_code == 302
    login(dataset.volunteer)
    assert client.get("/reports").status_code == 403
