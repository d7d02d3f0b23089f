"""Every console route, whatever it is: no one reaches it without logging in, a volunteer
never reaches /admin/, and no POST is taken without its CSRF token. A new console route is
covered the moment it exists."""

import re

from tests.admin.conftest import log_in

UNKNOWN_ID = "999999"


def _admin_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        path = re.sub(r"<(?:[^>:]+:)?[^>]+>", UNKNOWN_ID, rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, path))
    return routes


def test_the_console_has_its_routes(app):
    paths = {path for _, path in _admin_routes(app)}
    for area in ("/admin/units", "/admin/people", "/admin/rounds", "/admin/forms",
                 "/admin/progress", "/admin/responses", "/admin/conflicts", "/admin/audit"):
        assert any(path.startswith(area) for path in paths), area


def test_no_one_reaches_the_console_without_logging_in(app, client):
    for method, path in _admin_routes(app):
        response = client.open(path, method=method)
        assert response.status_code in (302, 400), (method, path, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], (method, path)


def test_a_volunteer_never_reaches_the_console(app, client, factory):
    volunteer = factory.user("tnv.khach", role="volunteer")
    log_in(client, volunteer.username)
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/login").get_data(as_text=True)).group(1)
    for method, path in _admin_routes(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(path, method=method, data=data)
        assert response.status_code == 403, (method, path, response.status_code)


def test_every_console_post_needs_its_csrf_token(app, client, factory):
    admin = factory.user("quantri", role="admin")
    log_in(client, admin.username)
    for method, path in _admin_routes(app):
        if method != "POST":
            continue
        response = client.post(path, data={})
        assert response.status_code == 400, (path, response.status_code)
