"""Who may get which report, list which rounds and export which data."""

import pytest


def report_url(round_, unit, lang=None):
    url = f"/api/v1/rounds/{round_.id}/units/{unit.id}/report.pdf"
    return url + (f"?lang={lang}" if lang else "")


@pytest.fixture
def commune_b_official(factory, dataset):
    return factory.user("canbo_b", "official", units=[dataset.communes["Xã Quỳnh Lưu"]])


def test_official_gets_own_commune_and_its_groups(client, dataset, bearer):
    headers = bearer(dataset.official)
    commune = dataset.communes["Phường Đông Hòa"]
    response = client.get(report_url(dataset.current, commune), headers=headers)
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert 'filename="bao-cao-phuong-dong-hoa-dot-2-nam-2026.pdf"' in disposition
    english = client.get(report_url(dataset.current, commune, "en"), headers=headers)
    assert 'filename="report-phuong-dong-hoa-dot-2-nam-2026.pdf"' in english.headers[
        "Content-Disposition"]
    group = dataset.groups["Tổ dân phố Bắc Sơn"]
    assert client.get(report_url(dataset.current, group), headers=headers).status_code == 200


def test_official_of_another_commune_is_refused(client, dataset, bearer, commune_b_official):
    response = client.get(report_url(dataset.current, dataset.communes["Phường Đông Hòa"]),
                          headers=bearer(commune_b_official))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    province = client.get(report_url(dataset.current, dataset.province),
                          headers=bearer(commune_b_official))
    assert province.status_code == 403


def test_volunteer_and_anonymous_are_refused(client, dataset, bearer):
    url = report_url(dataset.current, dataset.communes["Phường Đông Hòa"])
    assert client.get(url, headers=bearer(dataset.volunteer)).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 401
    assert anonymous.json["error"]["code"] == "not_authenticated"


def test_bad_language_unknown_round_and_unit_outside_the_round(client, dataset, bearer,
                                                               factory):
    headers = bearer(dataset.official)
    commune = dataset.communes["Phường Đông Hòa"]
    bad_lang = client.get(report_url(dataset.current, commune, "fr"), headers=headers)
    assert bad_lang.status_code == 400
    assert bad_lang.json["error"]["code"] == "validation_error"
    assert client.get(f"/api/v1/rounds/999999/units/{commune.id}/report.pdf",
                      headers=headers).status_code == 404
    elsewhere = factory.unit("Xã Ngoài Đợt", "commune")
    admin = bearer(factory.user("quantri", "admin"))
    assert client.get(report_url(dataset.current, elsewhere), headers=admin).status_code == 404


def test_session_login_downloads_the_report(login, dataset):
    client = login(dataset.official)
    response = client.get(report_url(dataset.current, dataset.communes["Phường Đông Hòa"]))
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")


def test_rounds_list_shows_only_what_the_caller_sees(client, dataset, bearer,
                                                     commune_b_official, factory):
    body = client.get("/api/v1/rounds", headers=bearer(dataset.official)).json
    assert [r["id"] for r in body["rounds"]] == [dataset.current.id, dataset.previous.id]
    current = body["rounds"][0]
    assert current["status"] == "open" and current["form_version"]["version"] == 1
    names = {unit["name"] for unit in current["units"]}
    assert names == {"Phường Đông Hòa", "Tổ dân phố Đông Thịnh", "Tổ dân phố Bắc Sơn",
                     "Tổ dân phố Kỳ Lân"}
    other = client.get("/api/v1/rounds", headers=bearer(commune_b_official)).json
    assert {u["name"] for u in other["rounds"][0]["units"]} == {
        "Xã Quỳnh Lưu", "Thôn Đồng Tâm", "Thôn Yên Trạch"}
    admin = client.get("/api/v1/rounds", headers=bearer(factory.user("quantri", "admin"))).json
    assert "Tỉnh Ninh Bình" in {u["name"] for u in admin["rounds"][0]["units"]}
    stranger = factory.user("xa_la", "official")
    assert client.get("/api/v1/rounds", headers=bearer(stranger)).json == {"rounds": []}
    assert client.get("/api/v1/rounds").status_code == 401


def test_exports_are_for_admins_only(client, dataset, bearer):
    for extension in ("csv", "xlsx"):
        url = f"/api/v1/rounds/{dataset.current.id}/export.{extension}"
        assert client.get(url, headers=bearer(dataset.official)).status_code == 403
        assert client.get(url).status_code == 401
