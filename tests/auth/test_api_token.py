from datetime import timedelta

from sqlalchemy import select

from server.audit.models import AuditEntry
from server.auth.tokens import hash_token
from server.db_types import utcnow
from server.people.models import DeviceToken
from tests.conftest import auth_header


def test_login_gives_a_token_stored_only_as_hash(client, factory):
    user = factory.user("tnv.an", "volunteer", password="mat-khau-dai", display_name="Nguyễn An")
    response = client.post("/api/v1/auth/token", json={
        "username": "tnv.an", "password": "mat-khau-dai", "device_name": "Redmi 9A"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"] == {"id": user.id, "username": "tnv.an", "display_name": "Nguyễn An",
                            "role": "volunteer"}
    assert len(body["token"]) >= 40
    stored = factory.db.session.scalars(select(DeviceToken)).all()
    assert len(stored) == 1
    assert stored[0].token_hash == hash_token(body["token"])
    assert body["token"] not in stored[0].token_hash
    assert stored[0].name == "Redmi 9A"
    lifetime = stored[0].expires_at - stored[0].created_at
    assert timedelta(days=59) < lifetime <= timedelta(days=60)


def test_unknown_user_and_wrong_password_get_the_same_answer(client, factory):
    factory.user("official1", "official", password="right")
    wrong = client.post("/api/v1/auth/token", json={"username": "official1", "password": "nope"})
    unknown = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    error = wrong.get_json()["error"]
    assert error["code"] == "invalid_credentials"
    assert "không đúng" in error["message"]
    assert "Incorrect" in error["details"]["message_en"]


def test_username_is_case_and_space_insensitive(client, factory):
    factory.user("volunteer", "volunteer", password="pw")
    response = client.post("/api/v1/auth/token", json={"username": "  Volunteer ", "password": "pw"})
    assert response.status_code == 200


def test_delete_revokes_the_token_in_use(client, factory):
    user = factory.user("v", "volunteer")
    token = factory.token(user)
    assert client.delete("/api/v1/auth/token", headers=auth_header(token)).status_code == 204
    again = client.delete("/api/v1/auth/token", headers=auth_header(token))
    assert again.status_code == 401
    assert again.get_json()["error"]["code"] == "token_revoked"
    actions = factory.db.session.scalars(select(AuditEntry.action)).all()
    assert "token.revoked" in actions


def test_expired_and_unknown_tokens_are_refused_with_codes(client, factory):
    user = factory.user("v2", "volunteer")
    token = factory.token(user)
    record = factory.db.session.scalar(select(DeviceToken))
    record.expires_at = utcnow() - timedelta(seconds=1)
    factory.db.session.flush()
    expired = client.delete("/api/v1/auth/token", headers=auth_header(token))
    assert expired.status_code == 401
    assert expired.get_json()["error"]["code"] == "token_expired"
    assert "đăng nhập lại" in expired.get_json()["error"]["message"]
    bogus = client.delete("/api/v1/auth/token", headers=auth_header("made-up"))
    assert bogus.get_json()["error"]["code"] == "token_invalid"
    missing = client.delete("/api/v1/auth/token")
    assert missing.get_json()["error"]["code"] == "not_authenticated"
    assert missing.headers["WWW-Authenticate"] == "Bearer"


def test_inactive_user_cannot_log_in_or_use_a_token(client, factory):
    user = factory.user("left", "volunteer", password="pw")
    token = factory.token(user)
    user.is_active = False
    factory.db.session.flush()
    assert client.post("/api/v1/auth/token",
                       json={"username": "left", "password": "pw"}).status_code == 401
    assert client.delete("/api/v1/auth/token", headers=auth_header(token)).status_code == 401


def test_password_is_hashed_with_scrypt(factory):
    user = factory.user("hashed", "admin", password="s3cret-pass")
    assert user.password_hash.startswith("scrypt:")
    assert "s3cret-pass" not in user.password_hash


def test_a_name_or_device_with_nul_is_refused_cleanly(client, factory):
    """PostgreSQL text cannot hold NUL: such a login is an ordinary refusal, never a 500."""
    factory.user("official1", "official", password="right")
    refused = client.post("/api/v1/auth/token", json={"username": "offi\x00cial1", "password": "right"})
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "invalid_credentials"
    device = client.post("/api/v1/auth/token", json={"username": "official1", "password": "right",
                                                    "device_name": "máy\x00 1"})
    assert device.status_code == 400
    assert "thiết bị" in str(device.get_json()["error"])
