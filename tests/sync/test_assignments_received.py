"""The server's count per unit in GET /me/assignments: what the phone shows as "Đã nhận 27 /
40 phiếu", from every volunteer's uploads, and an ETag that moves with it."""

from datetime import timedelta

import pytest
from sync_support import submit, valid_answers

from server.db_types import utcnow

pytestmark = pytest.mark.db


def _received(client, area, etag=None):
    headers = {**area.headers, **({"If-None-Match": etag} if etag else {})}
    reply = client.get("/api/v1/me/assignments", headers=headers)
    if reply.status_code == 304:
        return reply, None
    [round_] = reply.get_json()["rounds"]
    return reply, {unit["id"]: unit["received"] for unit in round_["units"]}


def test_counts_every_volunteers_uploads_per_unit(client, db, factory, area):
    _, before = _received(client, area)
    assert before == {area.groups[0].id: 0, area.groups[1].id: 0}
    colleague = factory.user("tnv.hoa", units=area.groups[:1])
    colleague_headers = {"Authorization": f"Bearer {factory.token(colleague)}"}
    assert submit(client, colleague_headers, [area.item(), area.item()]).status_code == 200
    assert submit(client, area, [area.item(unit=area.groups[1])]).status_code == 200
    _, after = _received(client, area)
    assert after == {area.groups[0].id: 2, area.groups[1].id: 1}


def test_the_etag_changes_when_a_count_changes(client, db, factory, area):
    first, _ = _received(client, area)
    etag = first.headers["ETag"]
    unchanged, _ = _received(client, area, etag)
    assert unchanged.status_code == 304
    other = factory.user("tnv.hung", units=area.groups[:1])
    factory.response(area.round, area.groups[0], other, valid_answers())
    changed, counts = _received(client, area, etag)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert counts[area.groups[0].id] == 1


def test_rejected_excluded_and_other_rounds_are_not_counted(client, db, factory, area):
    other = factory.user("tnv.mai", units=area.groups[:1])
    factory.response(area.round, area.groups[0], other, valid_answers(), status="rejected")
    factory.response(area.round, area.groups[0], other, valid_answers(), excluded_at=utcnow())
    factory.response(area.round, area.groups[0], other, valid_answers(), status="flagged")
    later = factory.round(form_version=area.round.form_version, units=area.groups[:1],
                          opens_at=utcnow() - timedelta(hours=1), closes_at=utcnow() + timedelta(days=3))
    factory.response(later, area.groups[0], other, valid_answers())
    rounds = client.get("/api/v1/me/assignments", headers=area.headers).get_json()["rounds"]
    by_round = {r["id"]: {u["id"]: u["received"] for u in r["units"]} for r in rounds}
    assert by_round[area.round.id][area.groups[0].id] == 1  # the flagged one counts
    assert by_round[later.id] == {area.groups[0].id: 1}


def test_a_gzipped_answer_is_still_answered_304(client, db, factory, area):
    for n in range(4):  # enough units for a body worth compressing
        area.volunteer.units.append(factory.unit(f"Tổ dân phố {n + 10}", "residential_group",
                                                 parent=area.commune))
        area.round.units.append(area.volunteer.units[-1])
    db.session.flush()
    gzip_headers = {**area.headers, "Accept-Encoding": "gzip"}
    first = client.get("/api/v1/me/assignments", headers=gzip_headers)
    assert first.headers["Content-Encoding"] == "gzip"
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/api/v1/me/assignments", headers={**gzip_headers, "If-None-Match": etag})
    assert again.status_code == 304
