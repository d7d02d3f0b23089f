"""A round's late policy: "accept" stores a late response marked late (as before), "refuse"
rejects it with a Vietnamese reason once the round has closed. On time is on time either
way, and a resend of what is stored stays a duplicate."""

from datetime import timedelta

from sqlalchemy import func, select
from sync_support import statuses, submit

from server.db_types import utcnow
from server.sync.models import Response


def _round(factory, area, late_policy: str, **window):
    now = utcnow()
    round_ = factory.round(form_version=area.round.form_version, units=area.groups,
                           opens_at=window.get("opens_at", now - timedelta(days=30)),
                           closes_at=window.get("closes_at", now - timedelta(days=1)),
                           status=window.get("status", "scheduled"))
    round_.late_policy = late_policy
    return round_


def test_a_round_that_refuses_late_responses_rejects_them_with_the_reason(client, db, factory, area):
    closed = _round(factory, area, "refuse")
    item = area.item(round_=closed, completed_at=closed.closes_at - timedelta(hours=3))
    result = submit(client, area, [item]).get_json()["results"][0]
    assert result["status"] == "rejected"
    (error,) = result["errors"]
    assert error["code"] == "late_refused" and error["question"] is None
    assert "không nhận phiếu gửi muộn" in error["message"]["vi"]
    assert "does not accept late responses" in error["message"]["en"]
    assert db.session.scalar(select(func.count(Response.id))) == 0


def test_a_round_that_accepts_late_responses_stores_them_marked_late(client, db, factory, area):
    closed = _round(factory, area, "accept")
    item = area.item(round_=closed, completed_at=closed.closes_at - timedelta(hours=3))
    assert submit(client, area, [item]).get_json()["results"] == [
        {"uuid": item["uuid"], "status": "created", "late": True}]


def test_a_round_closed_early_refuses_what_arrives_after(client, factory, area):
    stopped = _round(factory, area, "refuse", closes_at=utcnow() + timedelta(days=3),
                     status="closed")
    result = submit(client, area, [area.item(round_=stopped)]).get_json()["results"][0]
    assert result["status"] == "rejected" and result["errors"][0]["code"] == "late_refused"


def test_while_the_round_is_open_nothing_is_refused(client, factory, area):
    open_round = _round(factory, area, "refuse", closes_at=utcnow() + timedelta(hours=2))
    # a phone whose clock runs ahead: completed "after" the close, received before it
    ahead = area.item(round_=open_round, completed_at=utcnow() + timedelta(days=1))
    assert statuses(submit(client, area, [area.item(round_=open_round), ahead])) == ["created"] * 2


def test_what_is_stored_already_stays_a_duplicate_after_the_close(client, db, factory, area):
    round_ = _round(factory, area, "refuse", closes_at=utcnow() + timedelta(hours=2))
    item = area.item(round_=round_)
    assert statuses(submit(client, area, [item])) == ["created"]
    round_.closes_at = utcnow() - timedelta(minutes=1)  # closed since
    db.session.flush()
    assert statuses(submit(client, area, [item])) == ["duplicate"]
