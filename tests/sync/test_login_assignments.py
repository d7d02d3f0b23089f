"""A volunteer's login answers with the assignments too (password and sign-in card), with
the ETag GET /me/assignments gives: the phone's first home screen costs one round trip."""

import pytest
from sync_support import submit

from server.auth.signin_codes import issue_codes

pytestmark = pytest.mark.db


def _login(client):
    reply = client.post("/api/v1/auth/token", json={
        "username": "tnv.binh", "password": "pw", "device_name": "Redmi"})
    assert reply.status_code == 200
    return reply.get_json()


def test_login_carries_the_assignments_and_their_etag(client, db, factory, area):
    body = _login(client)
    headers = {"Authorization": f"Bearer {body['token']}"}
    fetched = client.get("/api/v1/me/assignments", headers=headers)
    assert body["assignments"]["rounds"] == fetched.get_json()["rounds"]
    assert body["assignments"]["etag"] == fetched.headers["ETag"]
    again = client.get("/api/v1/me/assignments",
                       headers={**headers, "If-None-Match": body["assignments"]["etag"]})
    assert again.status_code == 304


def test_the_counts_in_the_login_answer_are_current(client, db, factory, area):
    assert submit(client, area, [area.item(), area.item()]).status_code == 200
    [round_] = _login(client)["assignments"]["rounds"]
    received = {unit["id"]: unit["received"] for unit in round_["units"]}
    assert received == {area.groups[0].id: 2, area.groups[1].id: 0}


def test_a_sign_in_card_login_carries_them_too(client, db, factory, area):
    [issued] = issue_codes([area.volunteer], None)
    reply = client.post("/api/v1/auth/signin-code", json={"code": issued.code, "device_name": "Redmi"})
    assert reply.status_code == 201
    assert reply.get_json()["assignments"]["rounds"][0]["id"] == area.round.id


def test_an_official_login_carries_none(client, db, factory):
    factory.user("can.bo", "official", password="pw")
    reply = client.post("/api/v1/auth/token", json={"username": "can.bo", "password": "pw"})
    assert reply.status_code == 200
    assert "assignments" not in reply.get_json()
