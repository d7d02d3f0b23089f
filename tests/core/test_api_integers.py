"""A number no id column can hold, in a path, a query string or a body, is refused at the
edge (404 for a path, 400 in the error shape otherwise): never a 500 from the database
(OverflowError on SQLite, DataError on PostgreSQL)."""

import re
from datetime import timedelta

import pytest

from server.db_types import utcnow
from tests.conftest import auth_header

OUT_OF_RANGE = [2**70, -(2**70), 2**31, -15035349572236397772800]
NOT_AN_ID = [*OUT_OF_RANGE, 0, -1, 1.5, 1e308, True, "12abc"]


@pytest.fixture
def area(factory):
    ward = factory.unit("Phường Hoa Lư", "ward")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward)
    admin = factory.user("admin", "admin")
    volunteer = factory.user("tnv.binh", "volunteer", units=[group])
    round_ = factory.round(units=[group])
    return {"group": group, "round": round_, "volunteer": volunteer,
            "admin_headers": auth_header(factory.token(admin)),
            "volunteer_headers": auth_header(factory.token(volunteer))}


def _assert_refused(response, status=400):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if response.request.path.startswith("/api/"):
        error = response.get_json()["error"]
        assert error["code"] and error["message"]


def _int_routes(app):
    for rule in app.url_map.iter_rules():
        if "<int:" in rule.rule:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                # A web form post without its CSRF token is refused (400) before routing.
                if rule.rule.startswith("/api/") or method == "GET":
                    yield method, rule.rule


def test_every_path_id_out_of_range_is_not_found(app, client, area):
    routes = list(_int_routes(app))
    assert len(routes) >= 9
    for number in (2**70, 2**31):
        for method, rule in routes:
            path = re.sub(r"<int:[^>]+>", str(number), rule)
            response = client.open(path, method=method, headers=area["admin_headers"], json={})
            response.get_data()
            _assert_refused(response, 404)


def test_query_ids_out_of_range_are_refused(client, area):
    for path, name, role in [("/api/v1/me/submissions", "round_id", "volunteer"),
                             ("/api/v1/me/submissions", "round_id", "admin"),
                             ("/api/v1/units", "parent_id", "admin")]:
        for value in OUT_OF_RANGE:
            response = client.get(path, query_string={name: str(value)},
                                  headers=area[f"{role}_headers"])
            _assert_refused(response)
            assert name in str(response.get_json()["error"]["details"])


def _round_body(area, **fields):
    now = utcnow()
    return {"title": "Đợt thử", "form_version_id": area["round"].form_version_id,
            "opens_at": now.isoformat(), "closes_at": (now + timedelta(days=9)).isoformat(),
            "unit_ids": [area["group"].id], **fields}


BODIES = {
    "unit parent": lambda area, n: ("POST", "/api/v1/units",
                                    {"name": "Tổ 9", "kind": "residential_group", "parent_id": n}),
    "new user's units": lambda area, n: ("POST", "/api/v1/users", {
        "username": "tnv.moi", "display_name": "Mới", "role": "volunteer",
        "password": "mật khẩu dài", "unit_ids": [n]}),
    "user's units": lambda area, n: ("PATCH", f"/api/v1/users/{area['volunteer'].id}",
                                     {"unit_ids": [n]}),
    "round's form version": lambda area, n: ("POST", "/api/v1/rounds",
                                             _round_body(area, form_version_id=n)),
    "round's units": lambda area, n: ("POST", "/api/v1/rounds", _round_body(area, unit_ids=[n])),
    "round's target": lambda area, n: ("PATCH", f"/api/v1/rounds/{area['round'].id}",
                                       {"target_per_unit": n}),
}


@pytest.mark.parametrize("target", sorted(BODIES))
def test_body_ids_out_of_range_are_refused(client, area, target):
    for value in NOT_AN_ID:
        method, path, body = BODIES[target](area, value)
        response = client.open(path, method=method, json=body, headers=area["admin_headers"])
        _assert_refused(response)


@pytest.mark.parametrize("name", ["round_id", "unit_id", "form_version_id"])
def test_a_submission_with_an_id_out_of_range_is_refused_not_a_500(client, area, name):
    round_ = area["round"]
    for value in NOT_AN_ID:
        item = {"uuid": "0b4c8f3e-5d1a-4c38-9a57-6f0e2d9b1c11", "round_id": round_.id,
                "form_version_id": round_.form_version_id, "unit_id": area["group"].id,
                "completed_at": utcnow().isoformat(), "answers": {}, name: value}
        response = client.post("/api/v1/submissions", json={"submissions": [item]},
                               headers=area["volunteer_headers"])
        if response.status_code == 200:  # refused per item, as a batch answers
            assert response.get_json()["results"][0]["status"] == "rejected", value
        else:
            _assert_refused(response)


def test_every_integer_a_client_sends_is_bounded_in_the_openapi_document(client):
    """The document says which integers are accepted, so every integer field a request can
    carry (path, query, body) must have a minimum and a maximum: that is what keeps a
    schema from letting 2**70 through to the database."""
    spec = client.get("/api/v1/openapi.json").get_json()
    components = spec["components"]["schemas"]
    unbounded = []

    def walk(node, where, seen):
        if isinstance(node, list):
            for item in node:
                walk(item, where, seen)
        elif isinstance(node, dict):
            name = node.get("$ref", "").rsplit("/", 1)[-1]
            if name and name not in seen:
                walk(components[name], f"{where} -> {name}", seen | {name})
            if node.get("type") == "integer" and not {"minimum", "maximum"} <= set(node):
                unbounded.append(where)
            for key, value in node.items():
                walk(value, f"{where}.{key}", seen)

    for path, item in spec["paths"].items():
        walk(item.get("parameters", []), f"{path} parameters", set())
        for method, operation in item.items():
            if method != "parameters":
                walk(operation.get("parameters", []), f"{method} {path} parameters", set())
                walk(operation.get("requestBody", {}), f"{method} {path} body", set())
    assert not unbounded, unbounded
