"""Issue 15: checking that a round's stored aggregates are current reads the whole round
(one GROUP BY over its responses). A read request reads each round's state once, however
many times its fingerprint and its summary ask; a writer reads afresh each time. A page of
a few units counts their responses live instead of checking the stored counts, and gets
the same fingerprint."""

import pytest
from sqlalchemy import event
from survey_data import build_history

from server.analytics.aggregates import materialise_round_aggregates
from server.analytics.currency import aggregates_current, usable_aggregates
from server.extensions import db as _db
from server.reporting import fingerprint
from server.reporting.services import data_fingerprints

pytestmark = pytest.mark.db

ROUND_STATE = "GROUP BY responses.status"


@pytest.fixture
def history(db, factory):
    data = build_history(db, factory)
    for round_ in data.rounds:
        assert materialise_round_aggregates(round_.id) > 0
    db.session.commit()
    return data


class Statements:
    def __init__(self):
        self.seen: list[str] = []

    def __enter__(self):
        event.listen(_db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(_db.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args):
        self.seen.append(statement)

    def reading_round_state(self) -> int:
        return sum(ROUND_STATE in statement for statement in self.seen)


def test_a_read_request_reads_a_rounds_state_once(app, history):
    round_ = history.rounds[-1]
    with app.test_request_context("/reports", method="GET"), Statements() as statements:
        assert aggregates_current(_db.session, round_)
        assert usable_aggregates(_db.session, round_) is not None
        assert aggregates_current(_db.session, round_)
    assert statements.reading_round_state() == 1


def test_a_new_transaction_reads_it_again(app, history):
    round_ = history.rounds[-1]
    with app.test_request_context("/reports", method="GET"), Statements() as statements:
        assert aggregates_current(_db.session, round_)
        _db.session.commit()
        assert aggregates_current(_db.session, round_)
    assert statements.reading_round_state() == 2


@pytest.mark.parametrize("method", ["POST", None])
def test_a_writer_reads_afresh_each_time(app, history, method):
    round_ = history.rounds[-1]
    context = (app.test_request_context("/api/v1/sync", method=method) if method
               else app.app_context())
    with context, Statements() as statements:
        assert aggregates_current(_db.session, round_)
        assert aggregates_current(_db.session, round_)
    assert statements.reading_round_state() == 2


def test_a_narrow_page_counts_live_and_gets_the_stored_counts_fingerprint(
        app, history, monkeypatch):
    round_ = history.rounds[-1]
    units = [history.province, *history.communes.values()]
    with app.test_request_context("/reports", method="GET"):
        with Statements() as statements:
            narrow = data_fingerprints(round_, units)
        assert statements.reading_round_state() == 0
        # every page broad: the closed rounds' current stored counts are read instead
        monkeypatch.setattr(fingerprint, "ROUND_WIDE_UNITS", -1)
        with Statements() as statements:
            broad = data_fingerprints(round_, units)
        assert statements.reading_round_state() >= 1
    assert narrow == broad
