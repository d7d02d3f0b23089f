"""An account without a password (signs in by card) is refused like a wrong password, after
the same slow hash check, so timing tells nothing about it."""

from werkzeug import security

from server.auth import login as login_module
from server.people.services import NO_PASSWORD


def test_an_account_without_password_costs_a_real_hash_check(client, factory, monkeypatch):
    user = factory.user("tnv.the", role="volunteer")
    user.password_hash = NO_PASSWORD
    checked = []

    def counting_check(pwhash, password):
        checked.append(pwhash)
        return security.check_password_hash(pwhash, password)

    monkeypatch.setattr(login_module, "check_password_hash", counting_check)
    refused = client.post("/api/v1/auth/token", json={"username": "tnv.the", "password": NO_PASSWORD})
    assert refused.status_code == 401
    assert len(checked) == 1 and checked[0].startswith("scrypt:")
