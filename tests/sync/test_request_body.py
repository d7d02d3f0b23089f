"""The batch body: gzip, the 200-item and 2 MB limits (413), and 400 for what is not a batch."""

import gzip
import json

import pytest
from sqlalchemy import func, select
from sync_support import statuses, submit, valid_answers

from server.sync.models import Response


def _post_raw(client, area, body: bytes, **headers):
    return client.post("/api/v1/submissions", data=body,
                       headers={**area.headers, "Content-Type": "application/json", **headers})


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    return response.get_json()["error"]


def test_a_gzip_body_is_accepted(client, db, area):
    items = [area.item(answers=valid_answers(seed)) for seed in range(3)]
    body = gzip.compress(json.dumps({"submissions": items}).encode())
    response = _post_raw(client, area, body, **{"Content-Encoding": "gzip"})
    assert statuses(response) == ["created"] * 3
    assert db.session.scalar(select(func.count()).select_from(Response)) == 3


def test_more_than_200_submissions_is_413_with_the_limit(client, area):
    items = [area.item(answers={}) for _ in range(201)]
    error = _error(submit(client, area, items), 413)
    assert "200" in error["message"] and "200" in error["details"]["message_en"]
    assert error["details"]["max_items"] == 200


def test_exactly_200_is_fine(client, area):
    response = submit(client, area, [area.item(answers=valid_answers(seed % 7)) for seed in range(200)])
    assert len(statuses(response)) == 200


def test_over_2_mb_is_413_with_the_limits(client, db, area):
    item = area.item(answers={**valid_answers(), "other_comments": "x" * (2 * 1024 * 1024)})
    error = _error(submit(client, area, [item]), 413)
    assert error["code"] == "payload_too_large"
    assert "2 MB" in error["message"] and "200" in error["message"]
    assert error["details"]["max_bytes"] == 2 * 1024 * 1024
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_gzip_bomb_is_413_after_inflating_at_most_the_limit(client, area):
    # 50 MB of one repeated byte squeezes into about 50 kB
    bomb = gzip.compress(b'{"submissions": [' + b" " * (50 * 1024 * 1024) + b"]}", compresslevel=9)
    assert len(bomb) < 100_000
    error = _error(_post_raw(client, area, bomb, **{"Content-Encoding": "gzip"}), 413)
    assert error["details"]["max_bytes"] == 2 * 1024 * 1024


def test_corrupt_or_truncated_gzip_is_400(client, area):
    whole = gzip.compress(json.dumps({"submissions": [area.item()]}).encode())
    assert _error(_post_raw(client, area, whole[: len(whole) // 2], **{"Content-Encoding": "gzip"}),
                  400)["code"] == "bad_encoding"
    assert _error(_post_raw(client, area, b"not gzip at all", **{"Content-Encoding": "gzip"}),
                  400)["code"] == "bad_encoding"


def test_an_unknown_content_encoding_is_415(client, area):
    error = _error(_post_raw(client, area, b"{}", **{"Content-Encoding": "br"}), 415)
    assert "gzip" in error["message"]


@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2", "{\"submissions\": [\u00e9]}".encode()])
def test_malformed_json_is_400(client, area, body):
    assert _error(_post_raw(client, area, body), 400)["code"] == "validation_error"


@pytest.mark.parametrize("payload", [
    {},
    {"submissions": "all of them"},
    {"submissions": [1, 2]},
    [],
    {"submissions": None},
])
def test_a_body_that_is_not_a_batch_is_400(client, area, payload):
    response = client.post("/api/v1/submissions", json=payload, headers=area.headers)
    assert _error(response, 400)["code"] == "validation_error"


@pytest.mark.parametrize("field, value", [
    ("uuid", "not-a-uuid"),
    ("uuid", 12345),
    ("round_id", "one"),
    ("round_id", "1"),
    ("unit_id", None),
    ("completed_at", "yesterday"),
    ("completed_at", "2026-13-45T10:00:00Z"),
    ("started_at", 17),
    ("answers", ["a", "b"]),
    ("answers", "text"),
    ("client", "Redmi"),
])
def test_wrong_types_are_400_naming_the_field(client, area, field, value):
    item = area.item()
    item[field] = value
    error = _error(submit(client, area, [item]), 400)
    assert error["code"] == "validation_error"
    assert field in error["details"]["fields"]["json"]["submissions"]["0"]


@pytest.mark.parametrize("field", ["uuid", "round_id", "form_version_id", "unit_id", "completed_at", "answers"])
def test_missing_fields_are_400(client, area, field):
    item = area.item()
    del item[field]
    error = _error(submit(client, area, [item]), 400)
    assert field in error["details"]["fields"]["json"]["submissions"]["0"]


def test_optional_fields_may_be_left_out_and_unknown_ones_are_ignored(client, area):
    item = area.item()
    del item["started_at"], item["client"]
    item["future_field"] = {"anything": 1}
    assert statuses(submit(client, area, [item])) == ["created"]


def test_an_empty_batch_answers_no_results(client, area):
    assert submit(client, area, []).get_json() == {"results": []}
