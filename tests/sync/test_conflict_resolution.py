"""Using the later upload replaces the stored response as a whole, validated as on receipt,
and changes the round's report fingerprint (issue 9, item 8)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sync_support import statuses, submit, valid_answers

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.reporting import services as reporting
from server.rounds.models import Round
from server.sync.content import content_hash
from server.sync.models import Response, ResponseConflict
from tests.conftest import auth_header


@pytest.fixture
def admin(factory):
    return auth_header(factory.token(factory.user("admin", "admin")))


def _only_conflict_id(client, admin) -> int:
    (conflict,) = client.get("/api/v1/conflicts", headers=admin).get_json()["conflicts"]
    return conflict["id"]


def _resolve(client, admin, conflict_id: int, resolution: str = "used_submitted"):
    return client.post(f"/api/v1/conflicts/{conflict_id}/resolve", headers=admin,
                       json={"resolution": resolution})


def _stored(db, uuid: str) -> Response:
    db.session.expire_all()
    return db.session.scalar(select(Response).where(Response.uuid == uuid))


def test_used_submitted_takes_unit_times_answers_and_hash_from_the_upload(client, db, area, admin):
    first = area.item(answers=valid_answers(1))
    assert statuses(submit(client, area, [first])) == ["created"]
    later = utcnow() - timedelta(minutes=1)
    second = area.item(uuid=first["uuid"], answers=valid_answers(2), unit=area.groups[1],
                       completed_at=later, client={"app_version": "2.0", "device": "Tab"})
    assert statuses(submit(client, area, [second])) == ["conflict"]
    assert _resolve(client, admin, _only_conflict_id(client, admin)).status_code == 200

    stored = _stored(db, first["uuid"])
    assert stored.unit_id == area.groups[1].id
    assert stored.completed_at == later
    assert stored.started_at == later - timedelta(minutes=9)
    assert stored.answers == valid_answers(2)
    assert stored.client == {"app_version": "2.0", "device": "Tab"}
    # the hash covers exactly what is stored
    assert stored.content_hash == content_hash(stored.round_id, stored.form_version_id, stored.unit_id,
                                               stored.started_at, stored.completed_at, valid_answers(2))
    replaced = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "response.replaced"))
    assert replaced.details["previous_unit_id"] == area.groups[0].id
    assert statuses(submit(client, area, [second])) == ["duplicate"]


DATED_FORM = {
    "schema_version": 1, "name": "visit_log", "title": {"vi": "Sổ thăm hỏi"}, "languages": ["vi"],
    "default_language": "vi", "questions": [
        {"type": "date", "name": "visit_date", "label": {"vi": "Ngày thăm"}, "required": True,
         "constraint": ". = today()"},
        {"type": "text", "name": "note", "label": {"vi": "Ghi chú"}}]}


def test_used_submitted_validates_with_the_phones_today(client, db, factory, area, admin):
    version = factory.form_version(DATED_FORM)
    now = utcnow()
    round_ = factory.round(form_version=version, units=area.groups, opens_at=now - timedelta(days=10))
    completed = now - timedelta(days=3)
    that_day = completed.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()
    first = area.item(round_=round_, completed_at=completed, answers={"visit_date": that_day, "note": "a"})
    assert statuses(submit(client, area, [first])) == ["created"]
    second = {**first, "answers": {"visit_date": that_day, "note": "b"}}
    assert statuses(submit(client, area, [second])) == ["conflict"]
    # valid on the day it was completed, as on receipt: not judged by the server's today
    used = _resolve(client, admin, _only_conflict_id(client, admin))
    assert used.status_code == 200, used.get_json()
    assert _stored(db, first["uuid"]).answers == {"visit_date": that_day, "note": "b"}


def _conflict(client, area, admin) -> tuple[dict, int]:
    first = area.item(answers=valid_answers(1))
    submit(client, area, [first])
    assert statuses(submit(client, area, [{**first, "answers": valid_answers(2)}])) == ["conflict"]
    return first, _only_conflict_id(client, admin)


def test_a_stored_response_gone_is_a_409_not_a_500(client, db, area, admin):
    first, conflict_id = _conflict(client, area, admin)
    db.session.delete(_stored(db, first["uuid"]))
    db.session.flush()
    used = _resolve(client, admin, conflict_id)
    assert used.status_code == 409
    assert used.get_json()["error"]["code"] == "stored_response_missing"
    assert used.get_json()["error"]["details"]["message_en"]
    kept = _resolve(client, admin, conflict_id, "kept_stored")
    assert kept.status_code == 200 and kept.get_json()["stored_answers"] is None


def test_a_conflict_kept_from_elsewhere_cannot_replace_the_stored_response(client, db, area, admin):
    # as kept before uploads were checked: another round's or an unknown unit's upload
    first, conflict_id = _conflict(client, area, admin)
    conflict = db.session.get(ResponseConflict, conflict_id)
    conflict.unit_id = None
    db.session.flush()
    used = _resolve(client, admin, conflict_id)
    assert used.status_code == 409 and used.get_json()["error"]["code"] == "submitted_out_of_scope"
    assert _stored(db, first["uuid"]).answers == valid_answers(1)


def test_replacing_answers_changes_the_report_fingerprint(client, db, area, admin, monkeypatch):
    renders = []
    monkeypatch.setattr(reporting, "render_round_report",
                        lambda summary, lang: renders.append(lang) or f"pdf {len(renders)}".encode())
    _, conflict_id = _conflict(client, area, admin)
    round_ = db.session.get(Round, area.round.id)
    before = reporting.data_fingerprint(round_, area.commune, "vi")
    assert reporting.report_pdf(round_, area.commune) == reporting.report_pdf(round_, area.commune)
    assert len(renders) == 1  # the second came from the cache

    assert _resolve(client, admin, conflict_id).status_code == 200
    db.session.expire_all()
    round_ = db.session.get(Round, area.round.id)
    assert round_.data_version == 1
    assert reporting.data_fingerprint(round_, area.commune, "vi") != before
    assert reporting.report_pdf(round_, area.commune) == b"pdf 2"  # made again


def test_keeping_the_stored_response_changes_nothing(client, db, area, admin):
    _, conflict_id = _conflict(client, area, admin)
    assert _resolve(client, admin, conflict_id, "kept_stored").status_code == 200
    db.session.expire_all()
    assert db.session.get(Round, area.round.id).data_version == 0
