"""The sign-in cards forms (people_admin.signin_cards*) walked with every role: anonymous goes
to the login page, the admin gets in, officials and volunteers are refused. Every POST needs
its CSRF token; unknown ids are 404s; odd input is never a 500."""

import re
from dataclasses import dataclass

import pytest

from tests.admin.conftest import csrf_token, log_in

ROLES = ("anonymous", "admin", "official", "volunteer")
MISSING = 999_999


@dataclass
class World:
    person: int


@pytest.fixture
def world(factory, db):
    ward = factory.unit("Phường Hoa Lư", "ward", code="hoa-lu")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward, code="tdp-1")
    factory.user("admin", "admin")
    factory.user("official", "official", units=[ward])
    factory.user("volunteer", "volunteer", units=[group])
    person = factory.user("tnv.muc.tieu", "volunteer", units=[group])
    db.session.commit()
    return World(person.id)


def _forms(w: World) -> list[tuple[str, dict, int]]:
    """(path, fields, the admin's status)."""
    p = w.person
    return [
        ("/admin/people/signin-cards", {"user_ids": str(p)}, 200),                 # the review
        ("/admin/people/signin-cards", {"user_ids": str(p), "print": "1"}, 200),   # the PDF
        (f"/admin/people/{p}/signin-cards/revoke", {}, 302),
    ]


def _client(app, role: str):
    client = app.test_client()
    return client if role == "anonymous" else log_in(client, role)


def test_every_sign_in_cards_form_answers_each_role_as_expected(app, client, world):
    failures = []
    for role in ROLES:
        browser = _client(app, role)
        for path, fields, admin_status in _forms(world):
            response = browser.post(path, data={"csrf_token": csrf_token(browser), **fields})
            wanted = {"anonymous": 302, "admin": admin_status}.get(role, 403)
            if response.status_code != wanted:
                failures.append(f"POST {path} {fields} as {role}: {response.status_code}, "
                                f"expected {wanted}")
            elif role == "anonymous" and "/login" not in response.headers["Location"]:
                failures.append(f"POST {path} anonymous went to {response.headers['Location']}")
    assert not failures, "\n".join(failures)


def test_the_review_is_no_get_page(app, client, world):
    browser = _client(app, "admin")
    assert browser.get("/admin/people/signin-cards").status_code == 405


def test_every_sign_in_cards_form_refuses_a_post_without_its_csrf_token(app, client, world):
    browser = _client(app, "admin")
    for path, fields, _ in _forms(world):
        assert browser.post(path, data=fields).status_code == 400, path
        assert browser.post(path, data={"csrf_token": "wrong", **fields}).status_code == 400, path


def test_unknown_people_are_404(app, client, world):
    browser = _client(app, "admin")
    for path, fields, _ in _forms(World(MISSING)):
        response = browser.post(path, data={"csrf_token": csrf_token(browser), **fields})
        assert response.status_code == 404, (path, fields)


def test_odd_input_is_never_a_500(app, client, world):
    browser = _client(app, "admin")
    token = csrf_token(browser)
    for fields in ({}, {"user_ids": ""}, {"user_ids": "%00"}, {"user_ids": "1e3"},
                   {"user_ids": "٣"}, {"user_ids": str(2**70)}, {"user_ids": "x" * 5000},
                   {"user_ids": str(world.person), "print": "yes"},
                   {"user_ids": [str(world.person)] * 3, "print": "1"}):
        status = browser.post("/admin/people/signin-cards",
                              data={"csrf_token": token, **fields}).status_code
        assert status in (200, 400, 404), (fields, status)


def test_every_sign_in_cards_route_is_in_the_matrix(app, world):
    covered = {("POST", re.sub(r"/\d+(?=/|$)", "/<id>", path)) for path, _, _ in _forms(world)}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("people_admin.signin"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if (method, re.sub(r"<[^>]+>", "<id>", rule.rule)) not in covered:
                    missing.append(f"{method} {rule.rule}")
    assert not missing, "\n".join(missing)
