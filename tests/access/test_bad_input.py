"""Garbage sent to every API route, as an admin and as a volunteer: a 4xx in the error
shape every time, never a 500."""

import re

import pytest

from tests.conftest import auth_header

GARBAGE_BODIES = [
    {"data": "{not json", "content_type": "application/json"},
    {"data": "plain text", "content_type": "text/plain"},
    {"json": []},
    {"json": "a string"},
    {"json": {"unexpected": {"deeply": ["nested", None, 1e308]}}},
    {"json": {"submissions": [{"uuid": None}], "name": 5, "title": [], "kind": {}}},
]
GARBAGE_QUERIES = ["?lang=fr", "?round_id=abc", "?resolved=maybe", "?parent_id=-1&kind=planet"]


def _paths(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule.endswith(("openapi.json", "/docs")):
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path))
    return routes


@pytest.mark.parametrize("role", ["admin", "volunteer"])
def test_garbage_never_gets_a_500(app, client, factory, role):
    ward = factory.unit("Phường Hoa Lư", "ward")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward)
    user = factory.user(role, role, units=[group])
    factory.round(units=[group])
    headers = auth_header(factory.token(user))
    problems, refused = [], 0
    for method, path in _paths(app):
        attempts = [dict(body) for body in GARBAGE_BODIES] if method in ("POST", "PATCH") else \
            [{"query_string": q[1:]} for q in GARBAGE_QUERIES]
        for attempt in attempts:
            if path == "/api/v1/auth/token" and method == "DELETE":
                continue  # would log this user out for the rest of the walk
            response = client.open(path, method=method, headers=headers, **attempt)
            response.get_data()  # consume streamed bodies (CSV export) before the next request
            response.close()
            if response.status_code >= 500:
                problems.append(f"{method} {path} {attempt}: {response.status_code}")
            elif response.status_code >= 400:
                refused += 1
                error = (response.get_json(silent=True) or {}).get("error", {})
                if not error.get("code") or not error.get("message"):
                    problems.append(f"{method} {path} {attempt}: no error shape")
    assert not problems, "\n" + "\n".join(problems)
    assert refused >= 40  # the garbage was really refused, not silently accepted
