"""Failed logins are counted in the database, atomically, before the password is checked:
no number of simultaneous guesses gets more password checks than the limit.

These run on the committed database against a second worker (tests/auth/conftest.py): the
count is written in a transaction of its own while the request itself is rolled back, as
in production."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from server.auth import login

SIMULTANEOUS = 40


@pytest.fixture
def password_checks(monkeypatch):
    """How many passwords were checked (each one a slow scrypt)."""
    checks = {"count": 0}
    lock = threading.Lock()
    real = login.check_password_hash

    def counting(password_hash, password):
        with lock:
            checks["count"] += 1
        return real(password_hash, password)

    monkeypatch.setattr(login, "check_password_hash", counting)
    return checks


@pytest.fixture
def target(committed_db, factory_committed):
    factory_committed.user("target", "volunteer", password="right-password")
    committed_db.session.commit()


def _token_login(client, username: str, password: str):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


@pytest.mark.parametrize(("guessing", "limit_name"), [
    ("one_user", "LOGIN_MAX_FAILURES_PER_USER"),
    ("many_users", "LOGIN_MAX_FAILURES_PER_ADDRESS"),
])
def test_simultaneous_wrong_passwords_get_exactly_the_limit_of_checks(
        worker, target, password_checks, guessing, limit_name):
    worker.config[limit_name] = limit = 10  # each check is a slow scrypt: keep them few
    start = threading.Barrier(SIMULTANEOUS)

    def guess(number: int) -> int:
        client = worker.test_client()
        username = "target" if guessing == "one_user" else f"guess{number}"
        start.wait(timeout=30)
        return _token_login(client, username, "wrong").status_code

    with ThreadPoolExecutor(SIMULTANEOUS) as pool:
        statuses = list(pool.map(guess, range(SIMULTANEOUS)))

    assert password_checks["count"] == limit
    assert sorted(statuses) == [401] * limit + [429] * (SIMULTANEOUS - limit)


def test_failed_logins_are_throttled_per_user(worker, target, password_checks):
    client = worker.test_client()
    limit = worker.config["LOGIN_MAX_FAILURES_PER_USER"]
    for _ in range(limit):
        assert _token_login(client, "target", "bad").status_code == 401
    blocked = _token_login(client, "target", "right-password")
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["code"] == "too_many_attempts"
    window = worker.config["LOGIN_WINDOW_MINUTES"] * 60
    assert 0 < int(blocked.headers["Retry-After"]) <= window
    assert password_checks["count"] == limit  # the blocked attempt was not checked
    page = client.get("/login").get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    web = client.post("/login", data={"username": "target", "password": "right-password",
                                      "csrf_token": csrf})
    assert web.status_code == 429
    assert "quá nhiều lần" in web.get_data(as_text=True)


def test_failed_logins_are_throttled_per_address(worker, target):
    client = worker.test_client()
    limit = worker.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for i in range(limit):
        assert _token_login(client, f"guess{i}", "bad").status_code == 401
    assert _token_login(client, "target", "right-password").status_code == 429


def test_a_successful_login_starts_the_count_again(worker, target):
    client = worker.test_client()
    limit = worker.config["LOGIN_MAX_FAILURES_PER_USER"]
    for _ in range(limit - 1):
        assert _token_login(client, "target", "bad").status_code == 401
    assert _token_login(client, "target", "right-password").status_code == 200
    for _ in range(limit - 1):
        assert _token_login(client, "target", "bad").status_code == 401
    assert _token_login(client, "target", "right-password").status_code == 200
