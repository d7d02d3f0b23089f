"""The People pages walked with every role: anonymous goes to the login page, the admin gets
in, officials and volunteers are refused. Every POST needs its CSRF token; unknown ids are
404s; odd input is never a 500. A new /admin/people route without a row here fails the
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
UNKNOWN_TOKEN = "B" * 22
# The sign-in cards pages (people_admin.signin_cards...) come with their own matrix.
OWN_MATRIX = ("people_admin.signin",)


@dataclass
class World:
    person: int
    group: int
    token: str


@pytest.fixture
def world(factory, db):
    ward = factory.unit("Phường Hoa Lư", "ward", code="hoa-lu")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward, code="tdp-1")
    admin = factory.user("admin", "admin")
    factory.user("official", "official", units=[ward])
    factory.user("volunteer", "volunteer", units=[group])
    person = factory.user("tnv.muc.tieu", "volunteer", units=[group])
    factory.token(person)
    table = read_table("p.csv", b"name,username,unit codes\nMoi,moi,tdp-1\n")
    token = stage("people", admin.id, "p.csv", table)
    db.session.commit()
    return World(person.id, group.id, token)


def _pages(w: World) -> list[str]:
    return ["/admin/people/", f"/admin/people/?role=volunteer&unit={w.group}&active=&q=tnv",
            "/admin/people/new", f"/admin/people/{w.person}", "/admin/people/import",
            "/admin/people/import/template.csv", f"/admin/people/import/{w.token}"]


def _forms(w: World) -> list[tuple[str, dict, int]]:
    """(path, fields, the admin's status), in order."""
    p = w.person
    return [
        ("/admin/people/new", {"display_name": "Người Mới", "username": "nguoi.moi",
                               "role": "volunteer", "unit_ids": str(w.group)}, 200),
        (f"/admin/people/{p}/edit", {"display_name": "Tên Mới", "phone": "0912345678",
                                     "role": "volunteer"}, 302),
        (f"/admin/people/{p}/units", {"unit_ids": str(w.group)}, 302),
        (f"/admin/people/{p}/devices/revoke", {}, 302),
        (f"/admin/people/{p}/password", {}, 200),
        (f"/admin/people/{p}/deactivate", {}, 302),
        (f"/admin/people/{p}/reactivate", {}, 302),
        ("/admin/people/import", {}, 400),                      # no file chosen
        (f"/admin/people/import/{w.token}/apply", {"fingerprint": "stale"}, 409),
    ]


def _client(app, role: str):
    return client_as(app, role)


def test_every_people_page_answers_each_role_as_expected(app, client, world):
    failures = page_failures(app, _pages(world))
    assert not failures, "\n".join(failures)


def test_every_people_form_answers_each_role_as_expected(app, client, world):
    failures = form_failures(app, _forms(world))
    assert not failures, "\n".join(failures)


def test_every_people_form_refuses_a_post_without_its_csrf_token(app, client, world):
    assert_forms_need_csrf(app, _forms(world))


def test_unknown_people_and_imports_are_404(app, client, world):
    browser = _client(app, "admin")
    unknown = World(MISSING, world.group, UNKNOWN_TOKEN)
    for path in _pages(unknown):
        if str(MISSING) in path.split("?")[0] or UNKNOWN_TOKEN in path:
            assert browser.get(path).status_code == 404, path
    for path, fields, _ in _forms(unknown):
        if str(MISSING) in path or UNKNOWN_TOKEN in path:
            response = browser.post(path, data={"csrf_token": csrf_token(browser), **fields})
            assert response.status_code == 404, path
    for path in ("/admin/people/abc", f"/admin/people/{2**70}", "/admin/people/import/x"):
        assert browser.get(path).status_code == 404, path


def test_odd_input_is_never_a_500(app, client, world):
    browser = _client(app, "admin")
    for query in ("q=%00", "q=" + "x" * 5000, "unit=abc", f"unit={2**70}", "page=abc",
                  f"page={2**70}", "role=%F0%9F%98%80", "active=%00", "q=%25_%5C"):
        assert browser.get(f"/admin/people/?{query}").status_code == 200, query
    token = csrf_token(browser)
    p = world.person
    for path, fields in (
            ("/admin/people/new", {"display_name": "\x00", "username": "x1", "role": "volunteer"}),
            ("/admin/people/new", {"display_name": "X", "username": "x" * 300, "role": "admin"}),
            ("/admin/people/new", {"display_name": "X", "username": "x2", "role": "volunteer",
                                   "unit_ids": str(2**70)}),
            ("/admin/people/new", {"display_name": "X", "username": "x3", "role": "volunteer",
                                   "unit_codes": "%00, khong-co"}),
            (f"/admin/people/{p}/edit", {"display_name": "X", "phone": "+" * 40, "role": ""}),
            (f"/admin/people/{p}/units", {"unit_ids": "-5"}),
            (f"/admin/people/{p}/devices/revoke", {"token_id": str(2**70)})):
        status = browser.post(path, data={"csrf_token": token, **fields}).status_code
        assert status in (400, 404, 409), (path, fields, status)
    upload = browser.post("/admin/people/import", data={
        "csrf_token": token, "file": (io.BytesIO(b"\x00\x01\x02"), "x.csv")},
        content_type="multipart/form-data")
    assert upload.status_code == 400


def test_every_people_route_is_in_the_matrix(app, world):
    def template(path: str) -> str:
        path = path.split("?")[0].replace(world.token, "<id>")
        return re.sub(r"/\d+(?=/|$)", "/<id>", path)

    covered = {("GET", template(p)) for p in _pages(world)}
    covered |= {("POST", template(p)) for p, _, _ in _forms(world)}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("people_admin.") and not rule.endpoint.startswith(OWN_MATRIX):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if (method, re.sub(r"<[^>]+>", "<id>", rule.rule)) not in covered:
                    missing.append(f"{method} {rule.rule}")
    assert not missing, "\n".join(missing)
