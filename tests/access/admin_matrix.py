"""The role walk every console area's matrix runs: each page and each form as anonymous,
admin, official and volunteer (users named after their role, password "pw"), and every form
refused without its CSRF token. Each area lists its own pages and forms."""

from tests.admin.conftest import csrf_token, log_in

ROLES = ("anonymous", "admin", "official", "volunteer")
ADMIN_ONLY = {"admin": 200, "official": 403, "volunteer": 403}


def client_as(app, role: str):
    client = app.test_client()
    return client if role == "anonymous" else log_in(client, role)


def page_failures(app, pages: list[str], expected: dict = ADMIN_ONLY) -> list[str]:
    """Anonymous goes to the login page; the others get their expected status."""
    failures = []
    for role in ROLES:
        browser = client_as(app, role)
        for path in pages:
            response = browser.get(path)
            if role == "anonymous":
                if response.status_code != 302 or "/login" not in response.headers["Location"]:
                    failures.append(f"GET {path} anonymous: {response.status_code}")
            elif response.status_code != expected[role]:
                failures.append(f"GET {path} as {role}: {response.status_code}")
    return failures


def form_failures(app, forms: list[tuple[str, dict, int]]) -> list[str]:
    """Each (path, fields, admin's status) posted with the CSRF token by every role, in order:
    anonymous to the login page, admin its status, the others 403."""
    failures = []
    for role in ROLES:
        browser = client_as(app, role)
        for path, fields, admin_status in forms:
            response = browser.post(path, data={"csrf_token": csrf_token(browser), **fields})
            wanted = {"anonymous": 302, "admin": admin_status}.get(role, 403)
            if response.status_code != wanted:
                failures.append(f"POST {path} as {role}: {response.status_code}, expected {wanted}"
                                f" {response.get_data(as_text=True)[:300]}")
            elif role == "anonymous" and "/login" not in response.headers["Location"]:
                failures.append(f"POST {path} anonymous went to {response.headers['Location']}")
    return failures


def assert_forms_need_csrf(app, forms: list[tuple[str, dict, int]]):
    """No token or a wrong one: 400, for every form. Returns the admin's client."""
    browser = client_as(app, "admin")
    for path, fields, _ in forms:
        assert browser.post(path, data=fields).status_code == 400, path
        wrong = browser.post(path, data={"csrf_token": "not-the-token", **fields})
        assert wrong.status_code == 400, path
    return browser
