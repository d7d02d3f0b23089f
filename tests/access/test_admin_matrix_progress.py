"""Every progress, responses and audit-log page and form, walked with every role: no one
(sent to the login page), an admin, an official of ward A, an official of commune B, a
volunteer (never reaches /admin/); every POST refused without its CSRF token."""

import importlib.util
import re
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "progress_world", Path(__file__).parents[1] / "progress" / "progress_world.py")
progress_world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(progress_world)

ROLES = ("anonymous", "admin", "official_a", "official_b", "volunteer")
ROLE_USERS = {"admin": "admin", "official_a": "official_a", "official_b": "official_b",
              "volunteer": "vA"}


@pytest.fixture
def world(db, factory):
    return progress_world.build_world(db, factory)


def _pages(w) -> list[tuple[str, dict]]:
    r, a, b = w.round.id, w.units["A"].id, w.units["B"].id
    response = w.responses["A1-0"].id
    staff_all = {"anonymous": 302, "admin": 200, "official_a": 200, "official_b": 200,
                 "volunteer": 403}
    only_a = dict(staff_all, official_b=403)
    admin_only = dict(staff_all, official_a=403, official_b=403)
    return [
        ("/admin/progress/", staff_all),
        (f"/admin/progress/?round={r}", staff_all),
        (f"/admin/progress/?round={r}&unit={a}", only_a),
        (f"/admin/progress/?round={r}&unit={b}", dict(staff_all, official_a=403)),
        (f"/admin/progress/?round={r}&unit={a}&view=all&sort=shortfall&dir=desc&vsort=queued",
         only_a),
        (f"/admin/progress/export.csv?round={r}", staff_all),
        (f"/admin/progress/export.csv?round={r}&unit={a}&table=volunteers", only_a),
        ("/admin/responses/", admin_only),
        (f"/admin/responses/?round={r}&unit={a}&status=accepted&excluded=no", admin_only),
        (f"/admin/responses/{response}", admin_only),
        ("/admin/audit/", admin_only),
        ("/admin/audit/?action=response.excluded&from=2026-01-01", admin_only),
        ("/admin/audit/export.csv", admin_only),
    ]


def _client_as(app, w, role):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    if role != "anonymous":
        user = w.users[ROLE_USERS[role]]
        answer = client.post("/login", data={"username": user.username, "password": "pw",
                                             "csrf_token": token})
        assert answer.status_code == 302
        # a new session after login: read its token again
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client, token


def test_every_page_answers_each_role_as_expected(app, db, world):
    failures = []
    for role in ROLES:
        client, _ = _client_as(app, world, role)
        for path, expected in _pages(world):
            response = client.get(path)
            response.get_data()
            if response.status_code != expected[role]:
                failures.append(f"GET {path} as {role}: {response.status_code}, "
                                f"expected {expected[role]}")
            if response.status_code == 302:
                assert "/login" in response.headers["Location"]
    assert not failures, "\n" + "\n".join(failures)


def test_every_form_answers_each_role_as_expected(app, db, world):
    excluded = world.responses["A1-excluded"].id
    counted = world.responses["A1-0"].id
    forms = [
        (f"/admin/responses/{counted}/exclude", {"reason": "phiếu thử"}),
        (f"/admin/responses/{excluded}/include", {}),
    ]
    expected = {"anonymous": 302, "admin": 302, "official_a": 403, "official_b": 403,
                "volunteer": 403}
    failures = []
    for role in ("anonymous", "official_a", "official_b", "volunteer", "admin"):
        client, token = _client_as(app, world, role)
        for path, data in forms:
            missing = client.post(path, data=data)
            if missing.status_code != 400:
                failures.append(f"POST {path} as {role} without CSRF: {missing.status_code}")
            answer = client.post(path, data={**data, "csrf_token": token})
            if answer.status_code != expected[role]:
                failures.append(f"POST {path} as {role}: {answer.status_code}, "
                                f"expected {expected[role]}")
    assert not failures, "\n" + "\n".join(failures)


def test_bad_ids_are_404(app, db, world):
    client, token = _client_as(app, world, "admin")
    for path in ("/admin/responses/0", "/admin/responses/99999999",
                 "/admin/progress/?round=99999999", "/admin/progress/?round=-1",
                 "/admin/progress/?unit=abc", "/admin/progress/export.csv?round=99999999"):
        assert client.get(path).status_code == 404, path
    assert client.post("/admin/responses/99999999/exclude",
                       data={"csrf_token": token, "reason": "x"}).status_code == 404
    assert client.get("/admin/responses/abc").status_code == 404
