"""Every route, walked with every role: admin, an official of commune A, an official of
commune B, a volunteer of a residential group of A, and no one.

A new API route without a row here fails `test_every_api_route_is_in_the_matrix`.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest

from server.auth.web import SESSION_KEY
from server.auth.web_sessions import start_session
from server.db_types import utcnow
from tests.conftest import auth_header

ROLES = ("anonymous", "admin", "official_a", "official_b", "volunteer")


@dataclass
class World:
    province: object
    commune_a: object
    group_a1: object
    commune_b: object
    group_b1: object
    users: dict
    round: object
    version: object


@pytest.fixture
def world(factory):
    province = factory.unit("Tỉnh Ninh Bình", "province")
    commune_a = factory.unit("Phường Hoa Lư", "ward", parent=province)
    group_a1 = factory.unit("Tổ dân phố Đông Thịnh", "residential_group", parent=commune_a)
    commune_b = factory.unit("Xã Gia Viễn", "commune", parent=province)
    group_b1 = factory.unit("Thôn Đồng Tâm", "village", parent=commune_b)
    users = {
        "admin": factory.user("admin", "admin"),
        "official_a": factory.user("official_a", "official", units=[commune_a]),
        "official_b": factory.user("official_b", "official", units=[commune_b]),
        "volunteer": factory.user("volunteer", "volunteer", units=[group_a1]),
    }
    version = factory.form_version()
    round_ = factory.round(version, [group_a1, group_b1],
                           opens_at=utcnow() - timedelta(days=2), closes_at=utcnow() + timedelta(days=20))
    return World(province, commune_a, group_a1, commune_b, group_b1, users, round_, version)


def _submission(w: World) -> dict:
    now = utcnow()
    return {"submissions": [{
        "uuid": str(uuid.uuid4()), "round_id": w.round.id, "form_version_id": w.version.id,
        "unit_id": w.group_a1.id, "started_at": (now - timedelta(minutes=5)).isoformat(),
        "completed_at": now.isoformat(),
        "answers": {"age_band": "30_44", "sex": "female", "dealt_with_commune": "no",
                    "know_listen": "4", "know_explain": "4", "know_trust": "3",
                    "know_apologise": "na", "know_thank": "5",
                    "overall_satisfaction": "4", "compared_6_months": "same"},
        "client": {"app_version": "test", "device": "pytest"}}]}


# (method, path template, body maker or None, {role: expected status})
def _matrix(w: World) -> list[tuple]:
    r, a, b, a1 = w.round.id, w.commune_a.id, w.commune_b.id, w.group_a1.id
    everyone = {"anonymous": 401, "admin": 200, "official_a": 200, "official_b": 200, "volunteer": 200}
    admin_only = {"anonymous": 401, "admin": 200, "official_a": 403, "official_b": 403, "volunteer": 403}
    admin_created = dict(admin_only, admin=201)
    volunteer_only = {"anonymous": 401, "admin": 403, "official_a": 403, "official_b": 403, "volunteer": 200}
    return [
        ("GET", "/api/v1/health", None, dict.fromkeys(ROLES, 200)),
        ("DELETE", "/api/v1/auth/token", None, dict(everyone, admin=204, official_a=204,
                                                    official_b=204, volunteer=204)),
        # A sign-in card's code, whoever asks: an unknown one is the same 401 for everyone.
        ("POST", "/api/v1/auth/signin-code", lambda: {"code": "A" * 43}, dict.fromkeys(ROLES, 401)),
        ("GET", "/api/v1/units", None, everyone),
        ("POST", "/api/v1/units", lambda: {"name": "Thôn Mới", "kind": "village", "parent_id": b},
         admin_created),
        ("GET", "/api/v1/users", None, admin_only),
        ("POST", "/api/v1/users", lambda: {"username": f"u{uuid.uuid4().hex[:8]}", "display_name": "Người mới",
                                           "role": "volunteer", "password": "mat-khau-dai"}, admin_created),
        ("PATCH", f"/api/v1/users/{w.users['volunteer'].id}", lambda: {"display_name": "Trần Văn Bình"},
         admin_only),
        ("GET", "/api/v1/forms", None, admin_only),
        ("GET", f"/api/v1/forms/{w.version.form_id}/versions", None, admin_only),
        ("POST", f"/api/v1/forms/{w.version.form_id}/versions", lambda: dict(w.version.definition),
         admin_created),
        ("GET", "/api/v1/rounds", None, everyone),
        ("GET", f"/api/v1/rounds/{r}/units", None, everyone),
        ("POST", "/api/v1/rounds", lambda: {
            "title": "Đợt thử", "form_version_id": w.version.id, "opens_at": utcnow().isoformat(),
            "closes_at": (utcnow() + timedelta(days=3)).isoformat(), "unit_ids": [a1]}, admin_created),
        ("PATCH", f"/api/v1/rounds/{r}", lambda: {"target_per_unit": 25}, admin_only),
        # the report's document settings (issuing body, number, signer)
        ("GET", f"/api/v1/rounds/{r}/document", None, admin_only),
        ("PATCH", f"/api/v1/rounds/{r}/document", lambda: {"signer_name": "Nguyễn Văn An"},
         admin_only),
        ("GET", f"/api/v1/rounds/{r}/units/{a}/report.pdf", None,
         {"anonymous": 401, "admin": 200, "official_a": 200, "official_b": 403, "volunteer": 403}),
        ("GET", f"/api/v1/rounds/{r}/units/{b}/report.pdf", None,
         {"anonymous": 401, "admin": 200, "official_a": 403, "official_b": 200, "volunteer": 403}),
        # comment moderation (server/moderation) and the JSON summary of a unit
        ("GET", f"/api/v1/rounds/{r}/comments?unit_id={a}", None,
         {"anonymous": 401, "admin": 200, "official_a": 200, "official_b": 403, "volunteer": 403}),
        ("POST", f"/api/v1/rounds/{r}/comments/hide", lambda: {
            "unit_id": a, "comments": [{"response_id": 999999, "question": "comments"}],
            "reason": "offensive"},
         {"anonymous": 401, "admin": 404, "official_a": 404, "official_b": 403, "volunteer": 403}),
        ("POST", f"/api/v1/rounds/{r}/comments/unhide", lambda: {
            "unit_id": a, "comments": [{"response_id": 999999, "question": "comments"}]},
         {"anonymous": 401, "admin": 404, "official_a": 404, "official_b": 403, "volunteer": 403}),
        ("POST", f"/api/v1/rounds/{r}/reports-final", lambda: {"final": True},
         dict(admin_only, admin=409)),
        ("GET", f"/api/v1/rounds/{r}/units/{a}/summary", None,
         {"anonymous": 401, "admin": 200, "official_a": 200, "official_b": 403, "volunteer": 403}),
        ("GET", f"/api/v1/rounds/{r}/export.csv", None, admin_only),
        ("GET", f"/api/v1/rounds/{r}/export.xlsx", None, admin_only),
        # "What may I collect / what did I send": nothing, for a user who does not collect.
        ("GET", "/api/v1/me/assignments", None, everyone),
        ("GET", f"/api/v1/form-versions/{w.version.id}", None, everyone),
        ("POST", "/api/v1/submissions", lambda: _submission(w), volunteer_only),
        ("GET", f"/api/v1/me/submissions?round_id={r}", None, everyone),
        ("GET", "/api/v1/conflicts", None, admin_only),
        ("POST", "/api/v1/conflicts/999999/resolve", lambda: {"resolution": "kept_stored"},
         dict(admin_only, admin=404)),
        # The form designer's drafts (tests/forms/test_drafts_api.py walks a real one).
        ("GET", "/api/v1/form-drafts/999999", None, dict(admin_only, admin=404)),
        ("PUT", "/api/v1/form-drafts/999999", lambda: {"revision": 1, "definition": {}},
         dict(admin_only, admin=404)),
        ("POST", "/api/v1/form-drafts/999999/validate", None, dict(admin_only, admin=404)),
        ("GET", "/api/v1/form-drafts/999999/changes", None, dict(admin_only, admin=404)),
        ("POST", "/api/v1/form-drafts/999999/publish", lambda: {"revision": 1},
         dict(admin_only, admin=404)),
        *_suggestion_box_rows(w),
        *_kiosk_rows(w),
    ]


def _suggestion_box_rows(w: World) -> list[tuple]:
    """The suggestion box (tests/suggestions walks real boxes): admins and the officials of
    the box's unit; an unknown box is a 404 for staff; the public submission needs no login."""
    api = "/api/v1/suggestion-boxes"
    staff = {"anonymous": 401, "admin": 200, "official_a": 200, "official_b": 200, "volunteer": 403}
    staff_404 = dict(staff, admin=404, official_a=404, official_b=404)
    admin_only = {"anonymous": 401, "admin": 200, "official_a": 403, "official_b": 403,
                  "volunteer": 403}
    return [
        ("GET", api, None, staff),
        ("POST", api, lambda: {"unit_id": w.commune_a.id, "name": "Nhà văn hóa"},
         dict(staff, admin=201, official_a=201, official_b=403)),
        ("GET", f"{api}/999999", None, staff_404),
        ("PATCH", f"{api}/999999", lambda: {"name": "Tên mới"}, staff_404),
        ("DELETE", f"{api}/999999", None, staff_404),
        ("GET", f"{api}/999999/poster.pdf", None, staff_404),
        ("GET", f"{api}/999999/messages", None, staff_404),
        ("GET", f"{api}/messages/999999", None, staff_404),
        ("POST", f"{api}/messages/999999/assign", lambda: {"user_id": 1}, staff_404),
        ("POST", f"{api}/messages/999999/replies", lambda: {"body": "Trả lời"}, staff_404),
        ("POST", f"{api}/messages/999999/close", None, staff_404),
        ("POST", f"{api}/messages/999999/moderation", lambda: {"action": "publish"}, staff_404),
        ("GET", f"{api}/topics", None, staff),
        ("POST", f"{api}/topics", lambda: {"key": f"t{uuid.uuid4().hex[:8]}", "label_vi": "Chủ đề"},
         dict(admin_only, admin=201)),
        ("PATCH", f"{api}/topics/999999", lambda: {"label_vi": "Chủ đề"},
         dict(admin_only, admin=404)),
        ("POST", f"{api}/public/99999999/messages",
         lambda: {"client_uuid": str(uuid.uuid4()), "message": "Ý kiến"}, dict.fromkeys(ROLES, 404)),
    ]



def _kiosk_rows(w: World) -> list[tuple]:
    """One-stop-desk kiosks (tests/kiosks walks real desks and tablets): admins and the
    officials of the desk's unit; the tablet's calls take only a tablet's credential, so a
    user's login is a 401 there; pairing needs no login (a wrong code is a 400)."""
    api = "/api/v1/kiosks"
    staff = {"anonymous": 401, "admin": 200, "official_a": 200, "official_b": 200, "volunteer": 403}
    staff_404 = dict(staff, admin=404, official_a=404, official_b=404)
    return [
        ("GET", api, None, staff),
        ("POST", api, lambda: {"unit_id": w.commune_a.id, "name": "Bộ phận một cửa"},
         dict(staff, admin=201, official_a=201, official_b=403)),
        ("GET", f"{api}/999999", None, staff_404),
        ("PATCH", f"{api}/999999", lambda: {"name": "Quầy 2"}, staff_404),
        ("POST", f"{api}/999999/pairing-codes", None, staff_404),
        ("POST", f"{api}/999999/devices/revoke", None, staff_404),
        ("GET", f"{api}/999999/hourly", None, staff_404),
        ("POST", f"{api}/pair", lambda: {"code": "ZZZZ-ZZZZ"}, dict.fromkeys(ROLES, 400)),
        ("GET", f"{api}/device", None, dict.fromkeys(ROLES, 401)),
        ("POST", f"{api}/device/ratings", lambda: {"ratings": [{
            "client_uuid": str(uuid.uuid4()), "score": 5, "rated_at": utcnow().isoformat()}]},
         dict.fromkeys(ROLES, 401)),
    ]

# Web pages: not logged in goes to the login page (302).
def _pages(w: World) -> list[tuple]:
    r, a, b = w.round.id, w.commune_a.id, w.commune_b.id
    return [
        ("/reports", {"anonymous": 302, "admin": 200, "official_a": 200, "official_b": 200,
                      "volunteer": 403}),
        (f"/reports/rounds/{r}/units/{a}", {"anonymous": 302, "admin": 200, "official_a": 200,
                                           "official_b": 403, "volunteer": 403}),
        (f"/reports/rounds/{r}/units/{b}", {"anonymous": 302, "admin": 200, "official_a": 403,
                                           "official_b": 200, "volunteer": 403}),
        (f"/reports/rounds/{r}/units/{a}/comments", {"anonymous": 302, "admin": 200,
                                                    "official_a": 200, "official_b": 403,
                                                    "volunteer": 403}),
        # to the moderation page of the user's own top unit
        (f"/reports/rounds/{r}/comments", {"anonymous": 302, "admin": 302, "official_a": 302,
                                           "official_b": 302, "volunteer": 403}),
    ]


def _headers(factory, w: World, role: str) -> dict:
    if role == "anonymous":
        return {}
    return auth_header(factory.token(w.users[role]))


def test_every_api_route_answers_each_role_as_expected(client, factory, world):
    failures = []
    for method, path, body, expected in _matrix(world):
        for role in ROLES:
            kwargs = {"headers": _headers(factory, world, role)}
            if body is not None:
                kwargs["json"] = body()
            response = client.open(path, method=method, **kwargs)
            if response.status_code != expected[role]:
                failures.append(f"{method} {path} as {role}: {response.status_code}, "
                                f"expected {expected[role]}: {response.get_data(as_text=True)[:200]}")
            if response.status_code >= 400:
                assert "error" in response.get_json(), (method, path, role)
    assert not failures, "\n" + "\n".join(failures)


def test_every_web_page_answers_each_role_as_expected(app, client, factory, world):
    failures = []
    for path, expected in _pages(world):
        for role in ROLES:
            with client.session_transaction() as session:
                session.clear()
                if role != "anonymous":
                    session[SESSION_KEY] = start_session(world.users[role])
            status = client.get(path).status_code
            if status != expected[role]:
                failures.append(f"GET {path} as {role}: {status}, expected {expected[role]}")
    assert not failures, "\n" + "\n".join(failures)


def test_every_api_route_is_in_the_matrix(app, world):
    import re
    covered = {(method, re.sub(r"/\d+(?=/|$)", "/<id>", path.split("?")[0])) for method, path, _, _ in _matrix(world)}
    undocumented = {"/api/v1/openapi.json", "/api/v1/docs"}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule in undocumented:
            continue
        template = re.sub(r"<[^>]+>", "<id>", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, template) not in covered and not (method == "POST" and template == "/api/v1/auth/token"):
                missing.append(f"{method} {rule.rule}")
    assert not missing, "\n" + "\n".join(missing)
