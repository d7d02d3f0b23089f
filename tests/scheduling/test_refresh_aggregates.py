"""Issue 15: the scheduled refresh of stored aggregates builds an open round's, leaves
fresh ones alone, folds the delta in once it grows and builds them again once stale."""

import pytest
from sqlalchemy import update

from server.analytics import refresh
from server.analytics.aggregates import materialise_round_aggregates
from server.analytics.currency import usable_aggregates
from server.analytics.models import RoundAggregate
from server.db_types import utcnow
from server.rounds.models import Round
from server.scheduling.schedule import JOBS
from server.sync.models import Response
from tests.reporting.conftest import survey_data

pytestmark = pytest.mark.db


def _add(factory, data, n):
    for _ in range(n):
        factory.response(data.current, data.groups["Thôn Đồng Tâm"], data.volunteer,
                         {"overall": "4", "age_band": "30_44"})


def test_the_job_is_scheduled():
    assert JOBS["refresh-aggregates"].function() is refresh.refresh_aggregates


def test_an_open_round_is_built_then_left_while_fresh(db, factory):
    data = survey_data.build_dataset(db, factory)
    assert refresh.refresh_aggregates(utcnow()) == {"built": [data.current.id], "folded": [],
                                                    "fresh": []}
    header = db.session.get(RoundAggregate, data.current.id)
    last_id = max(r.id for r in db.session.query(Response)
                  .filter(Response.round_id == data.current.id))
    assert header.stamp["upto"] == last_id
    built_at = header.built_at
    # a small delta: read live on top, not worth a rebuild
    _add(factory, data, 1)
    assert refresh.refresh_aggregates(utcnow()) == {"built": [], "folded": [],
                                                    "fresh": [data.current.id]}
    assert db.session.get(RoundAggregate, data.current.id).built_at == built_at
    usable = usable_aggregates(db.session, data.current)
    assert usable is not None and usable.delta


def test_a_grown_delta_is_folded_in_and_stale_rows_built_again(db, factory, monkeypatch):
    data = survey_data.build_dataset(db, factory)
    refresh.refresh_aggregates(utcnow())
    first = db.session.get(RoundAggregate, data.current.id).stamp["upto"]
    _add(factory, data, 3)       # 3 after 75 stored: past a lowered DELTA_MOST alone
    monkeypatch.setattr(refresh, "DELTA_SHARE", 1.0)
    monkeypatch.setattr(refresh, "DELTA_MOST", 2)
    assert refresh.refresh_aggregates(utcnow())["folded"] == [data.current.id]
    assert db.session.get(RoundAggregate, data.current.id).stamp["upto"] > first
    assert usable_aggregates(db.session, data.current).delta is False
    # answers changed in place: stale, built again whatever the delta
    db.session.execute(update(Round).where(Round.id == data.current.id)
                       .values(data_version=Round.data_version + 1))
    db.session.commit()
    db.session.refresh(data.current)
    assert refresh.refresh_aggregates(utcnow())["built"] == [data.current.id]


def test_closed_rounds_without_aggregates_are_left_to_pre_generation(db, factory):
    data = survey_data.build_dataset(db, factory)
    result = refresh.refresh_aggregates(utcnow())
    assert data.previous.id not in result["built"] + result["fresh"]
    assert db.session.get(RoundAggregate, data.previous.id) is None


def test_a_closed_round_folds_in_a_late_upload(db, factory):
    data = survey_data.build_dataset(db, factory)
    materialise_round_aggregates(data.previous.id)
    db.session.commit()
    assert data.previous.id in refresh.refresh_aggregates(utcnow())["fresh"]
    factory.response(data.previous, data.groups["Thôn Đồng Tâm"], data.volunteer,
                     {"overall": "4"}, is_late=True)
    db.session.commit()
    assert data.previous.id in refresh.refresh_aggregates(utcnow())["folded"]
    assert usable_aggregates(db.session, data.previous).delta is False
