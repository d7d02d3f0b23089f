"""The Units pages walked with every role: anonymous goes to the login page, the admin gets
in, officials and volunteers are refused. Every POST needs its CSRF token; unknown ids are
404s; odd input is never a 500. A new /admin/units route without a row here fails the
coverage test."""

import io
import re
from dataclasses import dataclass

import pytest

from server.tabular import read_table
from server.upload_staging import stage
from tests.access.admin_matrix import (
    assert_forms_need_csrf,
    client_as,
    form_failures,
    page_failures,
)
from tests.admin.conftest import csrf_token

MISSING = 999_999
UNKNOWN_TOKEN = "A" * 22


@dataclass
class World:
    ward: int
    group: int
    spare: int
    commune: int
    token: str


@pytest.fixture
def world(factory, db):
    province = factory.unit("Tỉnh Ninh Bình", "province", code="ninh-binh")
    ward = factory.unit("Phường Hoa Lư", "ward", parent=province, code="hoa-lu")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward, code="tdp-1")
    commune = factory.unit("Xã Gia Viễn", "commune", parent=province, code="gia-vien")
    spare = factory.unit("Thôn Trống", "village", parent=commune, code="thon-trong")
    admin = factory.user("admin", "admin")
    factory.user("official", "official", units=[ward])
    factory.user("volunteer", "volunteer", units=[group])
    table = read_table("u.csv", b"code,name,kind,parent code\nmoi,Thon Moi,village,gia-vien\n")
    token = stage("units", admin.id, "u.csv", table)
    db.session.commit()
    return World(ward.id, group.id, spare.id, commune.id, token)


def _pages(w: World) -> list[str]:
    return ["/admin/units/", "/admin/units/?q=hoa", f"/admin/units/?root={w.ward}",
            "/admin/units/new", f"/admin/units/new?parent_id={w.ward}", f"/admin/units/{w.ward}",
            "/admin/units/import", "/admin/units/import/template.csv",
            f"/admin/units/import/{w.token}"]


def _forms(w: World) -> list[tuple[str, dict, int]]:
    """(path, fields, the admin's status), in order."""
    return [
        ("/admin/units/new", {"name": "Thôn Mới", "kind": "village", "parent_id": str(w.commune)},
         302),
        (f"/admin/units/{w.ward}/rename", {"name": "Phường Hoa Lư Mới", "kind": "ward"}, 302),
        (f"/admin/units/{w.ward}/move", {"parent_id": str(w.commune)}, 302),
        (f"/admin/units/{w.spare}/deactivate", {}, 302),
        (f"/admin/units/{w.spare}/reactivate", {"include_inside": "1"}, 302),
        (f"/admin/units/{w.spare}/delete", {}, 302),
        ("/admin/units/import", {}, 400),                       # no file chosen
        (f"/admin/units/import/{w.token}/apply", {"fingerprint": "stale"}, 409),
    ]


def _client(app, role: str):
    return client_as(app, role)


def test_every_units_page_answers_each_role_as_expected(app, client, world):
    failures = page_failures(app, _pages(world))
    assert not failures, "\n".join(failures)


def test_every_units_form_answers_each_role_as_expected(app, client, world):
    failures = form_failures(app, _forms(world))
    assert not failures, "\n".join(failures)


def test_every_units_form_refuses_a_post_without_its_csrf_token(app, client, world):
    assert_forms_need_csrf(app, _forms(world))


def test_unknown_units_and_imports_are_404(app, client, world):
    browser = _client(app, "admin")
    unknown = World(MISSING, MISSING, MISSING, world.commune, UNKNOWN_TOKEN)
    for path in _pages(unknown):
        if str(MISSING) in path.split("?")[0] or UNKNOWN_TOKEN in path:
            assert browser.get(path).status_code == 404, path
    for path, fields, _ in _forms(unknown):
        if str(MISSING) in path or UNKNOWN_TOKEN in path:
            response = browser.post(path, data={"csrf_token": csrf_token(browser), **fields})
            assert response.status_code == 404, path
    for path in ("/admin/units/abc", f"/admin/units/{2**70}", "/admin/units/import/../x",
                 "/admin/units/import/" + "x" * 300):
        assert browser.get(path).status_code == 404, path


def test_odd_input_is_never_a_500(app, client, world):
    browser = _client(app, "admin")
    for query in ("q=%00", "q=" + "x" * 5000, "root=abc", f"root={2**70}", "root=-1",
                  "q=%F0%9F%98%80", "parent_id=abc"):
        assert browser.get(f"/admin/units/?{query}").status_code == 200, query
    assert browser.get("/admin/units/new?parent_id=%00").status_code == 200
    # the other unit searches on the stored folded names
    for path in ("/admin/kiosks/?q=%00", "/admin/kiosks/?unit_q=%00", "/admin/suggestions/?q=%00",
                 "/admin/suggestions/?unit_q=%ED%A0%80"):
        assert browser.get(path).status_code == 200, path
    token = csrf_token(browser)
    for path, fields in (
            ("/admin/units/new", {"name": "\x00", "kind": "village"}),
            ("/admin/units/new", {"name": "x" * 300, "kind": "village"}),
            ("/admin/units/new", {"name": "X", "kind": "village", "code": "Mã có dấu"}),
            ("/admin/units/new", {"name": "X", "kind": "village", "parent_id": str(2**70)}),
            ("/admin/units/new", {"name": "X", "kind": "village", "parent_code": "%%"}),
            (f"/admin/units/{world.ward}/move", {"parent_id": "-1"}),
            (f"/admin/units/{world.ward}/move", {"parent_id": str(world.group)}),
            (f"/admin/units/{world.ward}/rename", {"name": "", "kind": ""})):
        status = browser.post(path, data={"csrf_token": token, **fields}).status_code
        assert status in (400, 404, 409), (path, fields, status)
    upload = browser.post("/admin/units/import", data={
        "csrf_token": token, "file": (io.BytesIO(b"\xff\xfe\x00bad"), "x.csv")},
        content_type="multipart/form-data")
    assert upload.status_code == 400


def test_every_units_route_is_in_the_matrix(app, world):
    def template(path: str) -> str:
        path = path.split("?")[0].replace(world.token, "<id>")
        return re.sub(r"/\d+(?=/|$)", "/<id>", path)

    covered = {("GET", template(p)) for p in _pages(world)}
    covered |= {("POST", template(p)) for p, _, _ in _forms(world)}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("units_admin."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if (method, re.sub(r"<[^>]+>", "<id>", rule.rule)) not in covered:
                    missing.append(f"{method} {rule.rule}")
    assert not missing, "\n".join(missing)
