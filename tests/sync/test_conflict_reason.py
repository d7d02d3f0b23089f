"""A reason with a conflict's decision, over the API: kept in the audit log and shown with
the decided conflict; one rule for the API and the console (server/sync/conflicts.py):
when given it must say something; omitted, as clients before it did, it is allowed."""

import pytest
from sqlalchemy import select
from sync_support import statuses, submit, valid_answers

from server.audit.models import AuditEntry
from server.errors import ApiError
from server.sync.conflicts import REASON_MAX, clean_reason
from tests.conftest import auth_header


@pytest.fixture
def admin(factory):
    return auth_header(factory.token(factory.user("admin", "admin")))


def _conflict_id(client, area, admin) -> int:
    first = area.item(answers=valid_answers(1))
    assert statuses(submit(client, area, [first])) == ["created"]
    assert statuses(submit(client, area, [{**first, "answers": valid_answers(2)}])) == ["conflict"]
    return client.get("/api/v1/conflicts", headers=admin).get_json()["conflicts"][0]["id"]


def _audited(db, action: str) -> dict:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).one().details


def test_a_reason_is_kept_with_the_decision_and_shown_with_the_conflict(client, db, area, admin):
    conflict_id = _conflict_id(client, area, admin)
    decided = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", headers=admin,
                          json={"resolution": "used_submitted", "reason": " Người dân sửa lại "})
    assert decided.status_code == 200
    assert decided.get_json()["reason"] == "Người dân sửa lại"
    assert _audited(db, "conflict.resolved")["reason"] == "Người dân sửa lại"
    assert _audited(db, "response.replaced")["reason"] == "Người dân sửa lại"
    (listed,) = client.get("/api/v1/conflicts?resolved=true", headers=admin).get_json()["conflicts"]
    assert listed["reason"] == "Người dân sửa lại"


@pytest.mark.parametrize("body", [{"resolution": "kept_stored"},
                                  {"resolution": "kept_stored", "reason": None}])
def test_a_client_that_sends_no_reason_still_decides(client, db, area, admin, body):
    conflict_id = _conflict_id(client, area, admin)
    decided = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", headers=admin, json=body)
    assert decided.status_code == 200 and decided.get_json()["reason"] is None
    assert _audited(db, "conflict.resolved")["reason"] is None


@pytest.mark.parametrize(("reason", "code"), [("", "reason_required"), (" \n\t ", "reason_required"),
                                              ("x" * (REASON_MAX + 1), "reason_too_long")])
def test_a_reason_that_says_nothing_or_too_much_is_refused(client, db, area, admin, reason, code):
    conflict_id = _conflict_id(client, area, admin)
    refused = client.post(f"/api/v1/conflicts/{conflict_id}/resolve", headers=admin,
                          json={"resolution": "kept_stored", "reason": reason})
    assert refused.status_code == 400
    error = refused.get_json()["error"]
    assert error["code"] == code and error["message"] and error["details"]["message_en"]
    assert client.get("/api/v1/conflicts", headers=admin).get_json()["total"] == 1  # still open


def test_the_rule_itself():
    assert clean_reason(None) is None
    assert clean_reason("  Phiếu thử\x00 ") == "Phiếu thử"
    assert clean_reason("Thu\u0309") == "Thủ"  # NFC
    with pytest.raises(ApiError) as broken:
        clean_reason("\ud800")
    assert broken.value.code == "reason_invalid"


def test_the_openapi_document_states_the_reason_as_optional(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Resolve"]
    assert schema["required"] == ["resolution"]
    assert schema["properties"]["reason"]["maxLength"] == REASON_MAX
