"""POST /api/v1/submissions: each response exactly once, answered per item."""

import unicodedata
import uuid as uuid_lib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sync_support import DEFINITION, statuses, submit, valid_answers

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.sync.models import Response, ResponseConflict


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_same_batch_three_times_stores_each_response_once(client, db, area):
    batch = [area.item(answers=valid_answers(seed), unit=area.groups[seed % 2]) for seed in range(5)]
    assert statuses(submit(client, area, batch)) == ["created"] * 5
    assert statuses(submit(client, area, batch)) == ["duplicate"] * 5
    assert statuses(submit(client, area, batch)) == ["duplicate"] * 5
    assert _count(db, Response) == 5
    assert _count(db, ResponseConflict) == 0
    stored = db.session.scalars(select(Response)).all()
    assert sorted(r.uuid for r in stored) == sorted(item["uuid"] for item in batch)
    assert all(r.volunteer_id == area.volunteer.id and r.status == "accepted" for r in stored)


def test_results_come_in_the_order_sent_one_per_item(client, area):
    first = area.item()
    submit(client, area, [first])
    batch = [area.item(), first, area.item(answers={"age_band": "not-a-choice"}), area.item()]
    body = submit(client, area, batch).get_json()
    assert [r["uuid"] for r in body["results"]] == [item["uuid"] for item in batch]
    assert [r["status"] for r in body["results"]] == ["created", "duplicate", "rejected", "created"]


def test_a_resend_after_an_app_update_is_still_a_duplicate(client, area):
    item = area.item()
    submit(client, area, [item])
    resent = {**item, "client": {"app_version": "1.1.0", "device": "Redmi 9A"}}
    # the same instant written in another zone is the same content
    completed = datetime.fromisoformat(item["completed_at"]).astimezone(UTC) + timedelta(hours=7)
    resent["completed_at"] = completed.replace(tzinfo=None).isoformat() + "+07:00"
    assert statuses(submit(client, area, [resent])) == ["duplicate"]


def test_different_content_under_a_stored_uuid_is_a_conflict_kept_aside(client, db, area):
    item = area.item(answers=valid_answers(1))
    submit(client, area, [item])
    changed = {**item, "answers": valid_answers(2)}
    assert statuses(submit(client, area, [changed])) == ["conflict"]
    assert statuses(submit(client, area, [changed])) == ["conflict"]
    stored = db.session.scalar(select(Response).where(Response.uuid == item["uuid"]))
    assert stored.answers == valid_answers(1)  # the first one stands
    kept = db.session.scalars(select(ResponseConflict)).all()
    assert len(kept) == 1  # kept once: the resend waits for review with the first
    assert kept[0].uuid == item["uuid"] and kept[0].answers == valid_answers(2)
    assert kept[0].payload["answers"] == valid_answers(2)
    assert kept[0].round_id == area.round.id and kept[0].unit_id == item["unit_id"]
    assert kept[0].volunteer_id == area.volunteer.id and kept[0].resolved_at is None


def test_the_same_uuid_twice_in_one_batch(client, db, area):
    item = area.item(answers=valid_answers(1))
    other = {**item, "answers": valid_answers(3)}
    assert statuses(submit(client, area, [item, item, other])) == ["created", "duplicate", "conflict"]
    assert _count(db, Response) == 1
    assert _count(db, ResponseConflict) == 1


def test_one_bad_response_does_not_reject_its_neighbours(client, db, area):
    bad = area.item(answers={**valid_answers(), "age_band": "200_plus"})
    batch = [area.item(answers=valid_answers(4)), bad, area.item(answers=valid_answers(5))]
    body = submit(client, area, batch).get_json()
    assert [r["status"] for r in body["results"]] == ["created", "rejected", "created"]
    errors = body["results"][1]["errors"]
    assert errors == [{"question": "age_band", "code": "not_in_choices",
                       "message": {"vi": "Giá trị không có trong các lựa chọn: 200_plus.",
                                   "en": "Not one of the choices: 200_plus."}}]
    assert "errors" not in body["results"][0]
    assert _count(db, Response) == 2
    assert db.session.scalar(select(Response.id).where(Response.uuid == bad["uuid"])) is None


def test_missing_required_answers_are_rejected_with_every_reason(client, area):
    body = submit(client, area, [area.item(answers={})]).get_json()
    result = body["results"][0]
    assert result["status"] == "rejected"
    required = {e["question"] for e in result["errors"] if e["code"] == "required"}
    assert {"age_band", "sex", "overall_satisfaction"} <= required
    assert all(e["message"]["vi"] and e["message"]["en"] for e in result["errors"])


def test_stored_answers_are_cleaned_and_skips_recorded(client, db, area):
    answers = {**valid_answers(), "harassment": "no", "harassment_detail": "ẩn đi"}
    submit(client, area, [area.item(answers=answers)])
    stored = db.session.scalar(select(Response))
    assert "harassment_detail" not in stored.answers  # hidden by logic: dropped
    assert "harassment_detail" in stored.skipped


def test_texts_are_stored_nfc_normalised(client, db, area):
    decomposed = unicodedata.normalize("NFD", "Cán bộ phường rất nhiệt tình, cảm ơn!")
    assert not unicodedata.is_normalized("NFC", decomposed)
    item = area.item(answers={**valid_answers(), "other_comments": decomposed},
                     client={"app_version": "1.0", "device": unicodedata.normalize("NFD", "Điện thoại")})
    assert statuses(submit(client, area, [item])) == ["created"]
    stored = db.session.scalar(select(Response))
    assert stored.answers["other_comments"] == unicodedata.normalize("NFC", decomposed)
    assert stored.client["device"] == "Điện thoại"
    # the composed spelling of the same text is the same response
    composed = {**item, "answers": {**item["answers"], "other_comments": unicodedata.normalize("NFC", decomposed)}}
    assert statuses(submit(client, area, [composed])) == ["duplicate"]


def test_timestamps_are_stored_in_utc_as_the_phone_gave_them(client, db, area):
    completed_local = (utcnow() - timedelta(hours=1)).astimezone(
        ZoneInfo("Asia/Ho_Chi_Minh")).replace(microsecond=0)
    item = area.item(completed_at=completed_local)
    assert item["completed_at"].endswith("+07:00")
    before = utcnow()
    submit(client, area, [item])
    stored = db.session.scalar(select(Response))
    assert stored.completed_at == completed_local
    assert stored.completed_at.utcoffset() == timedelta(0)
    assert stored.started_at == completed_local - timedelta(minutes=9)
    assert before <= stored.received_at <= utcnow()


def test_a_time_without_zone_is_read_as_utc(client, db, area):
    item = area.item(completed_at=utcnow() - timedelta(hours=2))
    naive = datetime.fromisoformat(item["completed_at"]).replace(tzinfo=None)
    item["completed_at"] = naive.isoformat()
    assert statuses(submit(client, area, [item])) == ["created"]
    assert db.session.scalar(select(Response.completed_at)) == naive.replace(tzinfo=UTC)


def test_a_phone_clock_hours_wrong_breaks_nothing(client, db, area):
    fast = area.item(completed_at=utcnow() + timedelta(hours=5), answers=valid_answers(6))
    slow = area.item(completed_at=utcnow() - timedelta(hours=30), answers=valid_answers(7))
    assert statuses(submit(client, area, [fast, slow])) == ["created", "created"]
    stored = {r.uuid: r for r in db.session.scalars(select(Response))}
    # the phone's times are kept as given, next to the server's receive time
    assert stored[fast["uuid"]].completed_at == datetime.fromisoformat(fast["completed_at"])
    assert stored[fast["uuid"]].completed_at > stored[fast["uuid"]].received_at
    assert stored[slow["uuid"]].completed_at == datetime.fromisoformat(slow["completed_at"])


def test_started_after_completed_is_kept_as_given(client, db, area):
    item = area.item()
    item["started_at"] = (datetime.fromisoformat(item["completed_at"]) + timedelta(hours=1)).isoformat()
    assert statuses(submit(client, area, [item])) == ["created"]


def test_audit_log_has_every_created_conflict_and_rejected_outcome(client, db, area):
    created = area.item(answers=valid_answers(1))
    submit(client, area, [created])
    conflict = {**created, "answers": valid_answers(2)}
    rejected = area.item(answers={})
    submit(client, area, [conflict, rejected, created])  # the duplicate is not audited
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("submission.%"))
                                 .order_by(AuditEntry.id)).all()
    assert [(e.action, e.object_id) for e in entries] == [
        ("submission.created", created["uuid"]),
        ("submission.conflict", created["uuid"]),
        ("submission.rejected", rejected["uuid"]),
    ]
    assert all(e.actor_id == area.volunteer.id and e.object_type == "response" for e in entries)
    assert "required" in entries[2].details["codes"]


def test_uuid_is_stored_in_canonical_form_and_echoed_as_sent(client, db, area):
    value = uuid_lib.uuid4()
    item = area.item(uuid=str(value).upper())
    body = submit(client, area, [item]).get_json()
    assert body["results"][0]["uuid"] == str(value).upper()
    assert db.session.scalar(select(Response.uuid)) == str(value)
    assert statuses(submit(client, area, [area.item(uuid=str(value), answers=item["answers"],
                                                    completed_at=datetime.fromisoformat(item["completed_at"]))])) == ["duplicate"]


def test_definition_fixture_is_the_default_form():
    assert DEFINITION["name"] == "resident_survey"
