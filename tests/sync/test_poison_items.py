"""No item can fail its batch: what cannot be stored is cleaned or rejected on its own, and
the items beside it are stored (issue 9, items 3 and 10)."""

import json
from datetime import datetime

import pytest
from sqlalchemy import select
from sync_support import statuses, submit, valid_answers

from server.audit.models import AuditEntry
from server.sync.models import Response
from server.sync.services import ingest_batch


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["results"]


def _submit_between_good_ones(client, area, bad: dict) -> dict:
    """Send the item between two valid ones; both of those must be created. Returns the
    bad item's result."""
    batch = [area.item(answers=valid_answers(11)), bad, area.item(answers=valid_answers(12))]
    results = _results(submit(client, area, batch))
    assert [results[0]["status"], results[2]["status"]] == ["created", "created"], results
    return results[1]


def _stored(db, item) -> Response | None:
    return db.session.scalar(select(Response).where(Response.uuid == item["uuid"]))


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"])
def test_invisible_controls_in_a_text_answer_are_removed(client, db, area, control):
    item = area.item(answers={**valid_answers(), "other_comments": f"Cán bộ{control} nhiệt tình"})
    assert _submit_between_good_ones(client, area, item)["status"] == "created"
    assert _stored(db, item).answers["other_comments"] == "Cán bộ nhiệt tình"


def test_tabs_and_line_breaks_are_kept_and_carriage_returns_become_line_feeds(client, db, area):
    item = area.item(answers={**valid_answers(), "other_comments": "Một\tHai\r\nBa\rBốn\nNăm"})
    assert _submit_between_good_ones(client, area, item)["status"] == "created"
    assert _stored(db, item).answers["other_comments"] == "Một\tHai\nBa\nBốn\nNăm"


def test_a_cleaned_item_sent_again_is_a_duplicate(client, area):
    item = area.item(answers={**valid_answers(), "other_comments": "Tốt\x00 lắm"})
    assert statuses(submit(client, area, [item])) == ["created"]
    assert statuses(submit(client, area, [item])) == ["duplicate"]
    # and the text a phone would send without the NUL is the same response
    clean = {**item, "answers": {**item["answers"], "other_comments": "Tốt lắm"}}
    assert statuses(submit(client, area, [clean])) == ["duplicate"]


def test_controls_in_every_string_are_removed_metadata_and_hidden_answers(client, db, area):
    answers = {**valid_answers(), "harassment": "no", "harassment_detail": "ẩn\x00 đi",
               "other_comments": "ok"}
    item = area.item(answers=answers, client={"app_version": "1.0\x00", "device": "Redmi\x00 9A\r"})
    assert _submit_between_good_ones(client, area, item)["status"] == "created"
    stored = _stored(db, item)
    assert stored.client == {"app_version": "1.0", "device": "Redmi 9A\n"}
    assert "\x00" not in json.dumps(stored.answers) and "\\u0000" not in json.dumps(stored.answers)


def _only_error(result: dict) -> dict:
    assert result["status"] == "rejected", result
    (error,) = result["errors"]
    assert error["message"]["vi"] and error["message"]["en"]
    return error


@pytest.mark.parametrize("where", ["text", "hidden", "list", "key"])
def test_a_lone_surrogate_rejects_only_its_item(client, db, area, where):
    answers = valid_answers()
    if where == "text":
        answers["other_comments"] = "Cán bộ \ud800 tốt"
    elif where == "hidden":  # hidden by logic, so dropped: it still reaches the content hash
        answers.update(harassment="no", harassment_detail="\udfff")
    elif where == "list":
        answers["overall_satisfaction"] = ["4", "\ud83d"]
    else:
        answers["\ud800"] = "x"
    item = area.item(answers=answers)
    # a surrogate pair (sent as "\\ud83d\\ude00") is an ordinary character beside it
    paired = area.item(answers={**valid_answers(3), "other_comments": "Vui 😀"})
    results = _results(submit(client, area, [paired, item]))
    assert results[0]["status"] == "created"
    assert _stored(db, paired).answers["other_comments"] == "Vui 😀"
    error = _only_error(results[1])
    assert error["code"] == ("invalid_question_name" if where == "key" else "invalid_text")
    if where == "text":
        assert error["question"] == "other_comments"
    assert _stored(db, item) is None
    audited = db.session.scalar(select(AuditEntry).where(AuditEntry.object_id == item["uuid"]))
    assert audited.action == "submission.rejected" and audited.details["codes"] == [error["code"]]


def test_a_lone_surrogate_in_the_device_name_rejects_only_its_item(client, db, area):
    item = area.item(client={"app_version": "1.0", "device": "Redmi \udc00"})
    error = _only_error(_submit_between_good_ones(client, area, item))
    assert error["code"] == "invalid_client_text" and "device" in error["message"]["en"]
    assert _stored(db, item) is None


@pytest.mark.parametrize("field", ["round_id", "form_version_id", "unit_id"])
@pytest.mark.parametrize("value", [2**70, -(2**70), 2**31])
def test_an_id_no_column_can_hold_rejects_only_its_item(client, db, area, field, value):
    item = area.item(**{field: value})
    batch = [area.item(answers=valid_answers(11)), item, area.item(answers=valid_answers(12))]
    response = submit(client, area, batch)
    if response.status_code == 400:
        # The schema refused it: docs/CONTRACTS.md names the item and field, so the PWA
        # rejects exactly that item and sends the rest again.
        fields = response.get_json()["error"]["details"]["fields"]["json"]["submissions"]
        assert list(fields) == ["1"] and list(fields["1"]) == [field]
        return
    results = _results(response)
    assert [results[0]["status"], results[2]["status"]] == ["created", "created"], results
    error = _only_error(results[1])
    assert error["code"] == "id_out_of_range" and field in error["message"]["en"]
    audited = db.session.scalar(select(AuditEntry).where(AuditEntry.object_id == item["uuid"]))
    assert audited.action == "submission.rejected"
    if field != "form_version_id":
        assert audited.details[field] is None  # the audit keeps only ids a column can hold


def _loaded(item: dict) -> dict:
    """The item as SubmissionSchema loads it (times parsed), for calling the service."""
    return {**item, "started_at": datetime.fromisoformat(item["started_at"]),
            "completed_at": datetime.fromisoformat(item["completed_at"])}


@pytest.mark.parametrize("field", ["round_id", "form_version_id", "unit_id"])
def test_the_service_rejects_an_out_of_range_id_whatever_the_schema_let_through(db, area, field):
    items = [_loaded(area.item(answers=valid_answers(1))), _loaded(area.item(**{field: 2**70})),
             _loaded(area.item(answers=valid_answers(2)))]
    results = ingest_batch(area.volunteer, items)
    assert [r["status"] for r in results] == ["created", "rejected", "created"]
    assert results[1]["errors"][0]["code"] == "id_out_of_range"


@pytest.mark.parametrize("field, moment", [
    ("completed_at", "0001-01-01T00:00:00+05:00"),  # before year 1 in UTC
    ("completed_at", "9999-12-31T23:00:00-05:00"),  # after year 9999 in UTC
    ("completed_at", "9999-12-31T20:00:00+00:00"),  # after year 9999 in Vietnam
    ("started_at", "0001-01-01T00:00:00+05:00"),
])
def test_a_time_that_overflows_rejects_only_its_item(client, area, field, moment):
    item = area.item()
    item[field] = moment
    error = _only_error(_submit_between_good_ones(client, area, item))
    assert error["code"] == "time_out_of_range" and field in error["message"]["en"]


def _nested(depth: int):
    value = "sâu"
    for level in range(depth):
        value = [value] if level % 2 else {"x": value}
    return value


@pytest.mark.parametrize("value", [{"a": 1}, [["4"]], [{"a": "4"}], _nested(20)])
def test_an_answer_deeper_than_a_list_of_values_rejects_only_its_item(client, db, area, value):
    item = area.item(answers={**valid_answers(), "overall_satisfaction": value})
    error = _only_error(_submit_between_good_ones(client, area, item))
    assert error == {**error, "question": "overall_satisfaction", "code": "answer_shape"}
