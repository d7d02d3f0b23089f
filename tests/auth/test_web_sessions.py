"""Web sessions live on the server: a saved cookie stops working at logout, at a password
change, after 12 idle hours and after 7 days, whichever comes first."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.auth.models import WebSession
from tests.auth.conftest import csrf_token, web_login
from tests.conftest import auth_header

PASSWORD = "mat-khau-cu-1"


@pytest.fixture
def people(committed_db, factory_committed):
    """An admin and an official, committed; plain values only, so the test's own session
    holds no transaction (and no SQLite lock) while the worker serves requests."""
    commune = factory_committed.unit("Phường Hoa Lư")
    admin = factory_committed.user("quan.tri", "admin", password=PASSWORD)
    official = factory_committed.user("can.bo", "official", units=[commune], password=PASSWORD)
    round_ = factory_committed.round(units=[commune])
    admin_token = factory_committed.token(admin)
    ids = {"admin": admin.id, "official": official.id, "round": round_.id,
           "admin_token": admin_token}
    committed_db.session.commit()
    return ids


def _sessions(committed_db, user_id: int) -> list[WebSession]:
    """What another worker sees in the table, read on a connection of its own."""
    with committed_db.engine.connect() as connection:
        return connection.execute(select(WebSession.__table__).where(
            WebSession.user_id == user_id).order_by(WebSession.id)).all()


def _replay(worker, cookie: str):
    """A browser that only has the saved cookie."""
    thief = worker.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_cookie_holds_only_a_random_key_of_a_stored_session(worker, committed_db, people):
    client = worker.test_client()
    login = web_login(client, "can.bo", PASSWORD)
    cookie = client.get_cookie("session").value
    content = worker.session_interface.get_signing_serializer(worker).loads(cookie)
    assert "user_id" not in content
    key = content["web_session"]
    stored = _sessions(committed_db, people["official"])
    assert [row.key_hash for row in stored] == [hashlib.sha256(key.encode()).hexdigest()]
    assert stored[0].expires_at - stored[0].created_at == timedelta(days=7)
    # The cookie lives no longer than the session can (Flask's default was 31 days).
    assert worker.permanent_session_lifetime == timedelta(days=7)
    assert "Expires=" in login.headers["Set-Cookie"]


def test_a_cookie_saved_before_logout_is_refused_after_it(worker, committed_db, people):
    client = worker.test_client()
    web_login(client, "quan.tri", PASSWORD)
    saved = client.get_cookie("session").value
    export = f"/api/v1/rounds/{people['round']}/export.xlsx"
    assert client.get("/reports").status_code == 200
    assert client.get(export).status_code == 200

    logout = client.post("/logout", data={"csrf_token": csrf_token(client, "/reports")})
    assert logout.status_code == 302

    thief = _replay(worker, saved)
    assert _is_login_redirect(thief.get("/reports"))
    refused = _replay(worker, saved).get(export)
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "not_authenticated"
    assert _sessions(committed_db, people["admin"])[0].revoked_at is not None


def test_a_password_change_ends_the_users_web_sessions(worker, committed_db, people):
    client = worker.test_client()
    web_login(client, "can.bo", PASSWORD)
    saved = client.get_cookie("session").value
    assert client.get("/reports").status_code == 200

    changed = worker.test_client().patch(
        f"/api/v1/users/{people['official']}", headers=auth_header(people["admin_token"]),
        json={"password": "mat-khau-moi-2"})
    assert changed.status_code == 200

    assert _is_login_redirect(client.get("/reports"))
    assert _is_login_redirect(_replay(worker, saved).get("/reports"))
    web_login(worker.test_client(), "can.bo", "mat-khau-moi-2")  # the new password works


def test_reactivating_a_user_does_not_revive_a_saved_cookie(worker, committed_db, people):
    client = worker.test_client()
    web_login(client, "can.bo", PASSWORD)
    saved = client.get_cookie("session").value
    admin = worker.test_client()
    for active in (False, True):
        assert admin.patch(f"/api/v1/users/{people['official']}",
                           headers=auth_header(people["admin_token"]),
                           json={"is_active": active}).status_code == 200
    assert _is_login_redirect(_replay(worker, saved).get("/reports"))


def test_an_idle_session_ends_after_twelve_hours(worker, committed_db, people, session_clock):
    client = worker.test_client()
    web_login(client, "can.bo", PASSWORD)
    session_clock.advance(hours=11)
    assert client.get("/reports").status_code == 200  # in use: kept alive
    session_clock.advance(hours=11)
    assert client.get("/reports").status_code == 200
    session_clock.advance(hours=12)
    ended = client.get("/reports")
    assert _is_login_redirect(ended)
    assert "Phiên đăng nhập đã kết thúc" in client.get(ended.headers["Location"]).get_data(
        as_text=True)


def test_a_session_in_use_still_ends_after_seven_days(worker, committed_db, people,
                                                       session_clock):
    client = worker.test_client()
    web_login(client, "can.bo", PASSWORD)
    for _ in range(15):  # 165 hours, never idle for long
        session_clock.advance(hours=11)
        assert client.get("/reports").status_code == 200
    session_clock.advance(hours=11)
    assert _is_login_redirect(client.get("/reports"))


def test_last_seen_is_written_at_most_every_few_minutes(worker, committed_db, people,
                                                        session_clock):
    client = worker.test_client()
    web_login(client, "can.bo", PASSWORD)
    started = _sessions(committed_db, people["official"])[0].last_seen_at
    session_clock.advance(minutes=1)
    assert client.get("/reports").status_code == 200
    assert _sessions(committed_db, people["official"])[0].last_seen_at == started
    session_clock.advance(minutes=5)
    assert client.get("/reports").status_code == 200
    assert _sessions(committed_db, people["official"])[0].last_seen_at == session_clock.now
