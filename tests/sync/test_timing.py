"""Late arrivals are kept (marked late); responses completed after the round closed are not."""

from datetime import timedelta

from sqlalchemy import select
from sync_support import statuses, submit

from server.db_types import utcnow
from server.sync.models import Response


def _closed_round(factory, area, **kwargs):
    now = utcnow()
    return factory.round(form_version=area.round.form_version, units=area.groups,
                         opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1), **kwargs)


def test_completed_while_open_and_received_after_closing_is_accepted_as_late(client, db, factory, area):
    closed = _closed_round(factory, area)
    item = area.item(round_=closed, completed_at=closed.closes_at - timedelta(hours=3))
    body = submit(client, area, [item]).get_json()
    assert body["results"] == [{"uuid": item["uuid"], "status": "created", "late": True}]
    stored = db.session.scalar(select(Response))
    assert stored.is_late is True and stored.status == "accepted"


def test_on_time_responses_are_not_late(client, db, area):
    body = submit(client, area, [area.item()]).get_json()
    assert "late" not in body["results"][0]
    assert db.session.scalar(select(Response.is_late)) is False


def test_completed_after_the_round_closed_is_rejected_with_the_reason(client, db, factory, area):
    closed = _closed_round(factory, area)
    item = area.item(round_=closed, completed_at=closed.closes_at + timedelta(hours=2))
    body = submit(client, area, [item]).get_json()
    result = body["results"][0]
    assert result["status"] == "rejected"
    assert [e["code"] for e in result["errors"]] == ["completed_after_close"]
    assert "kết thúc" in result["errors"][0]["message"]["vi"]
    assert "closed" in result["errors"][0]["message"]["en"]
    assert db.session.scalar(select(Response.id)) is None


def test_a_round_closed_early_keeps_what_was_collected_as_late(client, factory, area):
    stopped = factory.round(form_version=area.round.form_version, units=area.groups, status="closed")
    body = submit(client, area, [area.item(round_=stopped)]).get_json()
    assert body["results"][0]["status"] == "created" and body["results"][0]["late"] is True


def test_a_fast_phone_clock_cannot_push_a_response_past_the_close(client, factory, area):
    # sent while the round is open, from a phone whose clock runs a day ahead
    now = utcnow()
    closing = factory.round(form_version=area.round.form_version, units=area.groups,
                            opens_at=now - timedelta(days=5), closes_at=now + timedelta(hours=2))
    item = area.item(round_=closing, completed_at=now + timedelta(days=1))
    assert statuses(submit(client, area, [item])) == ["created"]


def test_long_before_the_round_opened_is_rejected_but_a_slow_clock_is_forgiven(client, area):
    opens = area.round.opens_at
    slow = area.item(completed_at=opens - timedelta(hours=3))
    early = area.item(completed_at=opens - timedelta(days=3))
    response = submit(client, area, [slow, early])
    assert statuses(response) == ["created", "rejected"]
    assert response.get_json()["results"][1]["errors"][0]["code"] == "completed_before_open"
