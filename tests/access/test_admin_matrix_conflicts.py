"""Every Conflicts page and form, walked with every role: no one (sent to the login page),
an admin, an official, a volunteer (never reaches /admin/); every POST refused without its
CSRF token; bad ids are 404 and bad values the page again with a message, never a 500."""

import importlib.util
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from server.sync.models import ResponseConflict

_SPEC = importlib.util.spec_from_file_location(
    "sync_support_for_conflicts_matrix", Path(__file__).parents[1] / "sync" / "sync_support.py")
sync_support = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(sync_support)

ROLES = ("anonymous", "admin", "official", "volunteer")
EXPECTED_GET = {"anonymous": 302, "admin": 200, "official": 403, "volunteer": 403}
EXPECTED_POST = {"anonymous": 302, "admin": 302, "official": 403, "volunteer": 403}


@pytest.fixture
def world(db, factory, client):
    area = sync_support.build_area(factory)
    users = {"admin": factory.user("quantri", "admin"),
             "official": factory.user("canbo", "official", units=[area.commune]),
             "volunteer": area.volunteer}
    conflicts = []
    for seed in (1, 2):
        first = area.item(answers=sync_support.valid_answers(seed))
        later = {**first, "answers": sync_support.valid_answers(seed + 10)}
        assert sync_support.statuses(sync_support.submit(client, area, [first])) == ["created"]
        assert sync_support.statuses(sync_support.submit(client, area, [later])) == ["conflict"]
    conflicts = db.session.scalars(select(ResponseConflict).order_by(ResponseConflict.id)).all()
    return {"area": area, "users": users, "conflicts": conflicts}


def _client_as(app, world, role):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    if role != "anonymous":
        answer = client.post("/login", data={"username": world["users"][role].username,
                                             "password": "pw", "csrf_token": token})
        assert answer.status_code == 302
        page = client.get("/login").get_data(as_text=True)  # a new session: its own token
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client, token


def test_every_page_answers_each_role_as_expected(app, db, world):
    conflict = world["conflicts"][0].id
    pages = ["/admin/conflicts/", "/admin/conflicts/?state=resolved",
             "/admin/conflicts/?state=open&page=2", "/admin/conflicts/?lang=en",
             f"/admin/conflicts/{conflict}"]
    failures = []
    for role in ROLES:
        client, _ = _client_as(app, world, role)
        for path in pages:
            response = client.get(path)
            response.get_data()
            if response.status_code != EXPECTED_GET[role]:
                failures.append(f"GET {path} as {role}: {response.status_code}")
            if response.status_code == 302:
                assert "/login" in response.headers["Location"]
    assert not failures, "\n" + "\n".join(failures)


def test_the_form_answers_each_role_and_always_wants_its_csrf_token(app, db, world):
    failures = []
    # the admin goes last: the first conflict is decided by then
    for role in ("anonymous", "official", "volunteer", "admin"):
        client, token = _client_as(app, world, role)
        path = f"/admin/conflicts/{world['conflicts'][0].id}/resolve"
        data = {"resolution": "kept_stored", "reason": "phiếu thử"}
        missing = client.post(path, data=data)
        if missing.status_code != 400:
            failures.append(f"POST {path} as {role} without CSRF: {missing.status_code}")
        answer = client.post(path, data={**data, "csrf_token": token})
        if answer.status_code != EXPECTED_POST[role]:
            failures.append(f"POST {path} as {role}: {answer.status_code}")
    assert not failures, "\n" + "\n".join(failures)
    db.session.expire_all()
    assert world["conflicts"][0].resolution == "kept_stored"
    assert world["conflicts"][1].resolved_at is None


def test_bad_ids_are_404(app, db, world):
    client, token = _client_as(app, world, "admin")
    for path in ("/admin/conflicts/0", "/admin/conflicts/99999999", "/admin/conflicts/abc",
                 "/admin/conflicts/-1", "/admin/conflicts/99999999999999999999"):
        assert client.get(path).status_code == 404, path
    for path in ("/admin/conflicts/99999999/resolve", "/admin/conflicts/abc/resolve"):
        answer = client.post(path, data={"csrf_token": token, "resolution": "kept_stored",
                                         "reason": "x"})
        assert answer.status_code == 404, path


@pytest.mark.parametrize("data", [
    {},
    {"resolution": "kept_stored", "reason": ""},
    {"resolution": "kept_stored", "reason": "x" * 5000},
    {"resolution": "kept_stored", "reason": "\x00\x07 \x1b"},
    {"resolution": "' OR 1=1 --", "reason": "x"},
    {"resolution": "", "reason": "x"},
])
def test_bad_values_give_the_page_again_never_a_500(app, db, world, data):
    client, token = _client_as(app, world, "admin")
    path = f"/admin/conflicts/{world['conflicts'][1].id}/resolve"
    answer = client.post(path, data={**data, "csrf_token": token})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400, html[:300]
    assert 'class="flash error"' in html and 'name="reason"' in html


@pytest.mark.parametrize("query", ["?state=everything", "?page=-3", "?page=" + "9" * 40,
                                   "?state=resolved&page=x"])
def test_bad_list_values_fall_back_never_a_500(app, db, world, query):
    client, _ = _client_as(app, world, "admin")
    assert client.get("/admin/conflicts/" + query).status_code == 200
