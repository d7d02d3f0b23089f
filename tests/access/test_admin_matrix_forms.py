"""The Forms pages walked with every role: anonymous goes to the login page, the admin gets
in, officials and volunteers are refused. Every POST needs its CSRF token; unknown ids (and a
published version where a draft is expected, or the reverse) are 404s; odd input is a page
with a message, never a 500. A new /admin/forms route without a row here fails the coverage
test."""

import json
import re
from dataclasses import dataclass

import pytest

from server.forms import drafts
from tests.access.admin_matrix import (
    assert_forms_need_csrf,
    client_as,
    form_failures,
    page_failures,
)
from tests.admin.conftest import csrf_token
from tests.conftest import DEFAULT_FORM

MISSING = 999_999
DEFAULT = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))


@dataclass
class World:
    form: int
    version: int
    draft: int      # saved, then published
    spare: int      # discarded


@pytest.fixture
def world(factory, db):
    group = factory.unit("Tổ dân phố 1", "residential_group")
    admin = factory.user("admin", "admin")
    factory.user("official", "official", units=[group])
    factory.user("volunteer", "volunteer", units=[group])
    version = factory.form_version()
    factory.round(version, [group])
    draft = drafts.start_draft(version.id, admin.id)
    spare = drafts.start_draft(version.id, admin.id)
    db.session.commit()
    return World(version.form_id, version.id, draft.id, spare.id)


def _pages(w: World) -> list[str]:
    return ["/admin/forms/", "/admin/forms/new", "/admin/forms/upload",
            f"/admin/forms/{w.form}/duplicate", f"/admin/forms/versions/{w.version}/xlsform",
            f"/admin/forms/versions/{w.version}/retire", f"/admin/forms/drafts/{w.draft}",
            f"/admin/forms/drafts/{w.draft}/publish", f"/admin/forms/drafts/{w.spare}/delete"]


def _changed() -> str:
    changed = json.loads(json.dumps(DEFAULT))
    changed["title"]["vi"] = "Phiếu đã sửa"
    return json.dumps(changed, ensure_ascii=False)


def _forms(w: World) -> list[tuple[str, dict, int]]:
    """(path, fields, the admin's status), in order."""
    return [
        ("/admin/forms/new", {"name": "phieu_moi", "title_vi": "Phiếu mới"}, 302),
        ("/admin/forms/upload", {}, 400),  # no file: the page again
        (f"/admin/forms/{w.form}/duplicate", {"name": "ban_sao", "title_vi": "Bản sao"}, 302),
        (f"/admin/forms/versions/{w.version}/draft", {}, 302),
        (f"/admin/forms/drafts/{w.draft}", {"revision": "1", "definition": _changed()}, 302),
        (f"/admin/forms/drafts/{w.draft}/publish", {"revision": "2"}, 302),
        (f"/admin/forms/drafts/{w.spare}/delete", {}, 302),
        (f"/admin/forms/versions/{w.version}/retire", {}, 302),
    ]


def _client(app, role: str):
    return client_as(app, role)


def test_every_forms_page_answers_each_role_as_expected(app, client, world):
    failures = page_failures(app, _pages(world))
    assert not failures, "\n".join(failures)


def test_every_forms_form_answers_each_role_as_expected(app, client, world):
    failures = form_failures(app, _forms(world))
    assert not failures, "\n".join(failures)


def test_every_forms_form_refuses_a_post_without_its_csrf_token(app, client, world):
    browser = assert_forms_need_csrf(app, _forms(world))
    assert "Phiếu đã sửa" not in browser.get(f"/admin/forms/drafts/{world.draft}").get_data(
        as_text=True)


def test_unknown_ids_and_the_wrong_kind_of_version_are_404(app, client, world):
    browser = _client(app, "admin")
    token = csrf_token(browser)
    unknown = World(MISSING, MISSING, MISSING, MISSING)
    # A published version where a draft is expected, and a draft where a version is.
    swapped = World(world.form, world.draft, world.version, world.version)
    for w in (unknown, swapped):
        for path in _pages(w):
            if str(MISSING) in path or "/drafts/" in path or "/retire" in path:
                assert browser.get(path).status_code == 404, path
        for path, fields, _ in _forms(w):
            if str(MISSING) in path or "/drafts/" in path or "/versions/" in path:
                response = browser.post(path, data={"csrf_token": token, **fields})
                assert response.status_code == 404, path
    assert browser.get("/admin/forms/drafts/abc").status_code == 404
    assert browser.get(f"/admin/forms/drafts/{2**70}").status_code == 404


def test_odd_input_is_never_a_500(app, client, world):
    browser = _client(app, "admin")
    token = csrf_token(browser)
    draft = f"/admin/forms/drafts/{world.draft}"
    cases = [
        ("/admin/forms/new", {"name": "\x00", "title_vi": "\x00\x01"}),
        ("/admin/forms/new", {"name": "a" * 5000, "title_vi": "x" * 5000}),
        ("/admin/forms/new", {}),
        (f"/admin/forms/{world.form}/duplicate", {}),
        ("/admin/forms/upload", {"file": "not a file"}),
        (draft, {"revision": "abc", "definition": "{}"}),
        (draft, {"revision": str(2**70), "definition": "{}"}),
        (draft, {"revision": "1", "definition": "1e999999"}),
        (draft, {"revision": "1", "definition": '{"a": NaN}'}),
        (draft, {"revision": "1"}),
        (draft + "/publish", {"revision": "-1"}),
        (draft + "/publish", {"revision": "x", "acknowledge": "maybe"}),
    ]
    for path, fields in cases:
        status = browser.post(path, data={"csrf_token": token, **fields}).status_code
        assert status in (400, 409, 413), (path, fields, status)
    # A lone surrogate as a browser would percent-encode it, and bytes that are not UTF-8.
    for body in ("name=ok_name&title_vi=%ED%A0%80", "name=%FF%FE&title_vi=%C3"):
        status = browser.post("/admin/forms/new", data=f"csrf_token={token}&{body}",
                              content_type="application/x-www-form-urlencoded").status_code
        assert status in (302, 400), (body, status)
    definition = "%7B%22a%22%3A%22%5Cud800%22%7D"  # {"a":"\ud800"}: valid JSON, broken text
    status = browser.post(draft, data=f"csrf_token={token}&revision=1&definition={definition}",
                          content_type="application/x-www-form-urlencoded").status_code
    assert status == 400


def test_every_forms_route_is_in_the_matrix(app, world):
    def template(path: str) -> str:
        return re.sub(r"/\d+(?=/|$)", "/<id>", path)

    covered = {("GET", template(p)) for p in _pages(world)}
    covered |= {("POST", template(p)) for p, _, _ in _forms(world)}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("forms_admin."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if (method, re.sub(r"<[^>]+>", "<id>", rule.rule)) not in covered:
                    missing.append(f"{method} {rule.rule}")
    assert not missing, "\n".join(missing)
