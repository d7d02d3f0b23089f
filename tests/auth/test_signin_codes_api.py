"""POST /api/v1/auth/signin-code: a sign-in card's code for a device token, with the body a
password login gives; one uniform 401 for every code that does not work; throttled per
address like logins; two phones at once get one token."""

import threading

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.auth.models import SigninCode
from server.auth.signin_codes import issue_codes, revoke_cards
from server.people.models import DeviceToken
from server.people.services import activate_person
from tests.conftest import auth_header

URL = "/api/v1/auth/signin-code"


@pytest.fixture
def card(factory, db):
    """(admin, volunteer, code): a fresh card for Nguyễn Thị Lan."""
    group = factory.unit("Tổ dân phố 1", "residential_group")
    admin = factory.user("quantri", "admin")
    lan = factory.user("tnv.lan", "volunteer", units=[group], display_name="Nguyễn Thị Lan")
    [issued] = issue_codes([lan], admin.id)
    return admin, lan, issued.code


def test_a_card_gives_what_a_password_login_gives(client, card, db):
    _, lan, code = card
    response = client.post(URL, json={"code": code, "device_name": "Điện thoại của Lan"})
    assert response.status_code == 201
    body = response.get_json()
    login = client.post("/api/v1/auth/token", json={"username": "tnv.lan", "password": "pw"})
    assert set(body) == set(login.get_json()) == {"token", "expires_at", "user", "assignments"}
    assert body["user"] == login.get_json()["user"] == {
        "id": lan.id, "username": "tnv.lan", "display_name": "Nguyễn Thị Lan", "role": "volunteer"}
    assigned = client.get("/api/v1/me/assignments", headers=auth_header(body["token"]))
    assert assigned.status_code == 200
    device = db.session.scalars(
        select(DeviceToken).where(DeviceToken.name == "Điện thoại của Lan")).one()
    assert device.user_id == lan.id
    issued = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "token.issued")).all()
    assert [entry.details.get("signin_code_id") is not None for entry in issued] == [True, False]


def test_every_code_that_does_not_work_gets_the_same_answer(client, card, factory, db):
    admin, _, used = card
    assert client.post(URL, json={"code": used}).status_code == 201
    binh = factory.user("tnv.binh", "volunteer")
    [revoked] = issue_codes([binh], admin.id)
    revoke_cards(binh, admin.id)
    chi = factory.user("tnv.chi", "volunteer")
    [inactive] = issue_codes([chi], admin.id)
    activate_person(chi, False, admin.id)
    db.session.commit()
    answers = set()
    for code in (used, revoked.code, inactive.code, "A" * 43, "short", "ä" * 50):
        response = client.post(URL, json={"code": code})
        assert response.status_code == 401, code
        assert response.get_json()["error"]["code"] == "signin_code_invalid"
        answers.add(response.get_data(as_text=True))
    assert len(answers) == 1


def test_an_expired_code_is_refused(client, card, db):
    _, _, code = card
    row = db.session.scalars(select(SigninCode)).one()
    row.expires_at = row.created_at
    db.session.commit()
    response = client.post(URL, json={"code": code})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "signin_code_invalid"


def test_bad_bodies_are_400s(client, card):
    for body in ({}, {"code": 5}, {"code": ""}, {"code": "x" * 201},
                 {"code": "x" * 43, "device_name": "d" * 201},
                 {"code": "x" * 43, "only_for_user_id": "1"},
                 {"code": "x" * 43, "only_for_user_id": 2**70}):
        response = client.post(URL, json=body)
        assert response.status_code == 400, body
        assert "error" in response.get_json()


def test_a_phone_holding_someone_elses_responses_is_refused_and_the_card_kept(client, card,
                                                                                factory):
    _, lan, code = card
    other = factory.user("tnv.khac", "volunteer")
    refused = client.post(URL, json={"code": code, "only_for_user_id": other.id})
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "signin_code_other_user"
    kept = client.post(URL, json={"code": code, "only_for_user_id": lan.id})
    assert kept.status_code == 201


def _issue_committed(factory_committed, committed_db, count: int = 1) -> tuple[list[str], int]:
    admin = factory_committed.user("quantri", "admin")
    people = [factory_committed.user(f"tnv.{n}", "volunteer") for n in range(count)]
    codes = [item.code for item in issue_codes(people, admin.id)]
    user_id = people[0].id
    committed_db.session.commit()
    committed_db.session.remove()
    return codes, user_id


def test_failed_codes_are_throttled_per_address(worker, committed_db, factory_committed):
    [code], _ = _issue_committed(factory_committed, committed_db)
    worker.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 5
    client = worker.test_client()
    for n in range(5):
        assert client.post(URL, json={"code": f"{n}" * 43}).status_code == 401
    blocked = client.post(URL, json={"code": code})          # even a good card must wait
    assert blocked.status_code == 429
    assert blocked.get_json()["error"]["code"] == "too_many_attempts"
    assert 0 < int(blocked.headers["Retry-After"]) <= worker.config["LOGIN_WINDOW_MINUTES"] * 60
    # Password logins from the address keep their own count.
    login = client.post("/api/v1/auth/token", json={"username": "tnv.0", "password": "pw"})
    assert login.status_code == 200


def test_a_good_card_gives_its_attempt_back(worker, committed_db, factory_committed):
    codes, _ = _issue_committed(factory_committed, committed_db, count=4)
    worker.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 2
    client = worker.test_client()
    for code in codes:       # a room of volunteers scanning their cards one after another
        assert client.post(URL, json={"code": code}).status_code == 201
    assert client.post(URL, json={"code": "Z" * 43}).status_code == 401


def test_two_phones_posting_one_card_at_once_get_one_token(worker, committed_db,
                                                            factory_committed):
    [code], user_id = _issue_committed(factory_committed, committed_db)
    start = threading.Barrier(2)
    statuses = []

    def phone():
        client = worker.test_client()
        start.wait()
        statuses.append(client.post(URL, json={"code": code}).status_code)

    threads = [threading.Thread(target=phone) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 401]
    tokens = committed_db.session.scalars(select(DeviceToken).where(
        DeviceToken.user_id == user_id)).all()
    assert len(tokens) == 1
