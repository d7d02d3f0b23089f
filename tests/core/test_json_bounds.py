"""JSON a client sends is parsed within bounds: nesting too deep for the code that walks it,
and numbers no JSON column can hold (NaN, Infinity, 1e999, an int of 5,000 digits), are a 400
in the error shape, never a RecursionError or a database error (500)."""

import json

import pytest
from flask import request

from server import create_app
from server.json_provider import MAX_DEPTH, JSONTooDeep, loads
from tests.conftest import auth_header


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_depth_is_counted_exactly():
    assert loads(_nested(MAX_DEPTH)) is not None
    assert loads('{"a": ' * (MAX_DEPTH - 1) + "[]" + "}" * (MAX_DEPTH - 1))
    with pytest.raises(JSONTooDeep):
        loads(_nested(MAX_DEPTH + 1))
    with pytest.raises(JSONTooDeep):
        loads("[" * 100_000)  # unclosed and deeper than the interpreter recurses


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e999", "9" * 5000])
def test_numbers_json_cannot_hold_are_malformed(text):
    with pytest.raises(json.JSONDecodeError):
        loads(text)


def test_a_flat_document_parses_as_before():
    assert loads(b'{"a": [1, 2.5, "x", null, true], "b": {"c": -3}}') == {
        "a": [1, 2.5, "x", None, True], "b": {"c": -3}}


def _assert_400(response, code: str | None = None) -> dict:
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    error = response.get_json()["error"]
    assert error["message"] and error["code"] == (code or error["code"])
    return error


@pytest.mark.parametrize("body", [_nested(MAX_DEPTH + 1), _nested(500), "[" * 10_000],
                         ids=["just too deep", "500 deep", "10000 unclosed"])
def test_deep_nesting_to_the_login_is_a_400(app, body):
    response = app.test_client().post("/api/v1/auth/token", data=body,
                                      content_type="application/json")
    error = _assert_400(response, "json_too_deep")
    assert error["details"]["max_depth"] == MAX_DEPTH


@pytest.fixture
def volunteer_headers(factory):
    group = factory.unit("Tổ dân phố 1", "residential_group")
    return auth_header(factory.token(factory.user("tnv.binh", "volunteer", units=[group])))


def _item(answers_json: str) -> str:
    return ('{"submissions": [{"uuid": "0b4c8f3e-5d1a-4c38-9a57-6f0e2d9b1c11", "round_id": 1, '
            '"form_version_id": 1, "unit_id": 1, "completed_at": "2026-05-01T08:00:00Z", '
            f'"answers": {answers_json}}}]}}')


def test_answers_nested_500_deep_are_a_400(client, volunteer_headers):
    response = client.post("/api/v1/submissions", data=_item('{"q1": ' + _nested(500) + "}"),
                           content_type="application/json", headers=volunteer_headers)
    _assert_400(response, "json_too_deep")


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999", "9" * 5000])
def test_answers_with_numbers_json_cannot_hold_are_a_400(client, volunteer_headers, number):
    response = client.post("/api/v1/submissions", data=_item('{"q1": ' + number + "}"),
                           content_type="application/json", headers=volunteer_headers)
    _assert_400(response, "validation_error")


def test_request_get_json_is_bounded_too(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "TESTING": True})

    @app.post("/api/v1/_echo_for_test")
    def echo():
        return {"echo": request.get_json()}

    client = app.test_client()
    assert client.post("/api/v1/_echo_for_test", json=[[1]]).get_json() == {"echo": [[1]]}
    for body in ("[" * 10_000, _nested(MAX_DEPTH + 1), "[NaN]"):
        response = client.post("/api/v1/_echo_for_test", data=body, content_type="application/json")
        _assert_400(response)


@pytest.mark.parametrize("body", [_item('{"q1": NaN}').encode(), _item('{"q1": 1e999}').encode(),
                                  _item('{"q1": "xx"}').encode().replace(b'"xx"', b'"\xed\xa0\x80"'),
                                  b'\xff\xfe{"submissions": []}'],
                         ids=["NaN", "1e999", "invalid UTF-8", "UTF-16 BOM"])
def test_a_malformed_body_is_reported_as_malformed_json_not_missing_fields(
        client, volunteer_headers, body):
    response = client.post("/api/v1/submissions", data=body, content_type="application/json",
                           headers=volunteer_headers)
    error = _assert_400(response, "validation_error")
    assert error["details"]["fields"] == {"json": ["Invalid JSON body."]}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          None])
def test_a_body_that_is_not_sent_as_json_is_a_415_that_says_so(
        client, volunteer_headers, content_type):
    response = client.post("/api/v1/submissions", data=_item("{}"), content_type=content_type,
                           headers=volunteer_headers)
    assert response.status_code == 415
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_media_type" and "JSON" in error["message"]
