"""Issue 15: an OPEN round's summaries from stored aggregates plus the delta (the responses
after the stored bound, read live). Figure by figure they equal the summaries read live from
every answer, at the province, the communes and the residential groups; whatever makes the
stored rows unusable (an answer changed or a response excluded, a rejection, a response
with a smaller id committing late) makes the summary read live, never wrong."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update
from survey_data import COMMENTS, build_history

from server.analytics import queries
from server.analytics.aggregates import build_round_aggregates, materialise_round_aggregates
from server.analytics.build import build_round_summary
from server.analytics.currency import UsableAggregates, aggregates_current, usable_aggregates
from server.analytics.fold import fold_delta
from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.analytics.stored import StoredRounds
from server.db_types import utcnow
from server.demo.synthetic import clean_answers, random_raw_answers
from server.rounds.models import Round
from server.sync.models import Response
from server.sync.round_data import mark_answers_changed

pytestmark = pytest.mark.db


def _respond(factory, round_, unit, volunteer, definition, rng, n, status="accepted", **kw):
    made = []
    for index in range(n):
        clean = clean_answers(definition, random_raw_answers(definition, rng, 0.6, COMMENTS,
                                                             comment_rate=0.3))
        made.append(factory.response(
            round_, unit, volunteer, clean.answers, skipped=clean.skipped, status=status,
            completed_at=round_.opens_at + timedelta(days=3, minutes=index), **kw))
    return made


@pytest.fixture
def opened(db, factory):
    """build_history with its last round open again, its aggregates and the earlier
    rounds' built; a free id below the stored bound (`gap`) kept for a late commit."""
    data = build_history(db, factory)
    current = data.rounds[-1]
    db.session.execute(update(Round).where(Round.id == current.id)
                       .values(closes_at=utcnow() + timedelta(days=10)))
    db.session.flush()
    db.session.refresh(current)
    assert current.effective_status() == "open"
    data.volunteer = factory.user("tnv_open", "volunteer", units=[data.province])
    data.rng = random.Random(17)
    placeholder = _respond(factory, current, data.groups["Thôn Hạ"], data.volunteer,
                           data.definition, data.rng, 1)[0]
    _respond(factory, current, data.communes["Xã An Hòa"], data.volunteer, data.definition,
             data.rng, 4)
    # deleted once a larger id exists (SQLite would give the largest id again)
    data.gap = placeholder.id
    db.session.delete(placeholder)
    db.session.flush()
    for round_ in data.rounds[:-1]:
        assert materialise_round_aggregates(round_.id) > 0
    assert materialise_round_aggregates(current.id) == 0       # open: the refresh job's
    assert build_round_aggregates(current) > 0
    data.upto = db.session.get(RoundAggregate, current.id).stamp["upto"]
    assert data.gap < data.upto
    return data


def _delta(factory, data):
    """Responses after the stored bound: in groups of both communes, a new group, a commune
    and the province themselves, flagged, rejected and excluded ones."""
    current, rng = data.rounds[-1], data.rng
    add = lambda unit, n, **kw: _respond(factory, current, unit, data.volunteer,  # noqa: E731
                                         data.definition, rng, n, **kw)
    add(data.groups["Thôn Thượng"], 5)
    add(data.groups["Thôn Đông"], 3, status="flagged")
    add(data.groups["Thôn Mới"], 4)
    add(data.groups["Thôn Cũ"], 2)            # no stored row in this round
    add(data.communes["Xã Bình Minh"], 2)
    add(data.province, 6)
    add(data.groups["Thôn Hạ"], 1, status="rejected")
    add(data.groups["Thôn Hạ"], 1, excluded_at=utcnow())


def _units(data):
    return [data.province, *data.communes.values(), *data.groups.values()]


def _summaries(db, data, now):
    return [build_round_summary(db.session, data.rounds[-1], unit, now=now)
            for unit in _units(data)]


def _live(db, data, now):
    """The same summaries with the open round's aggregates forgotten (read live)."""
    db.session.execute(delete(RoundAggregate).where(RoundAggregate.round_id == data.rounds[-1].id))
    db.session.flush()
    assert StoredRounds(db.session, data.province).get(data.rounds[-1]) is None
    return _summaries(db, data, now)


def test_stored_plus_delta_equals_live(db, factory, opened):
    current = opened.rounds[-1]
    _delta(factory, opened)
    stored = StoredRounds(db.session, opened.province).get(current)
    assert stored is not None and stored.after_id == opened.upto
    assert not aggregates_current(db.session, current)     # open, and a delta
    now = utcnow()
    with_delta = _summaries(db, opened, now)
    live = _live(db, opened, now)
    for mixed, read_live in zip(with_delta, live, strict=True):
        assert mixed == read_live, mixed.unit.name
    province = with_delta[0]
    assert province.round.status == "open"
    assert province.coverage.responses == 42 + 36 + 3 + 33 + 4 + 5 + 3 + 4 + 2 + 2 + 6
    assert province.previous_round is not None and province.children
    assert any(table.key not in ("unit", "residential_group") for table in province.breakdowns)


def test_without_a_delta_the_stored_rows_alone_are_read(db, opened):
    stored = StoredRounds(db.session, opened.province).get(opened.rounds[-1])
    assert stored is not None and stored.after_id is None
    now = utcnow()
    assert _summaries(db, opened, now) == _live(db, opened, now)


def test_a_province_reads_only_the_delta(db, factory, opened, monkeypatch):
    """Every answer query of the open round reads the responses after the bound alone
    (comments are read live, as always)."""
    current = opened.rounds[-1]
    _delta(factory, opened)
    expected = build_round_summary(db.session, current, opened.province)
    scopes = []

    def bounded(function):
        def run(session, scope, *args, **kwargs):
            scopes.append(scope)
            if scope.round_id == current.id and scope.after_id != opened.upto:
                raise AssertionError(f"answers up to the bound re-read: {scope}")
            return function(session, scope, *args, **kwargs)
        return run

    for name in ("answer_counts", "chosen_counts", "skipped_counts", "response_counts",
                 "breakdown_counts", "unit_measure_counts"):
        monkeypatch.setattr(queries, name, bounded(getattr(queries, name)))
    summary = build_round_summary(db.session, current, opened.province,
                                  now=expected.generated_at)
    assert summary == expected
    assert any(scope.round_id == current.id for scope in scopes)
    # the earlier rounds' stored rows are whole: nothing of theirs is read
    assert all(scope.round_id == current.id for scope in scopes)


def _stale_and_live(db, factory, data):
    """The open round's stored rows are unusable, and the summaries equal the live ones."""
    current = data.rounds[-1]
    assert usable_aggregates(db.session, current) is None
    assert StoredRounds(db.session, data.province).get(current) is None
    now = utcnow()
    assert _summaries(db, data, now) == _live(db, data, now)


def _stored_response(db, data) -> Response:
    return db.session.get(Response, data.upto)


def test_an_answer_changed_in_place_makes_them_stale(db, factory, opened):
    _delta(factory, opened)
    response = _stored_response(db, opened)
    response.answers = {**response.answers, "overall": "1"}
    db.session.flush()
    mark_answers_changed(response.round_id)
    db.session.refresh(opened.rounds[-1])
    _stale_and_live(db, factory, opened)


def test_an_exclusion_makes_them_stale(db, factory, opened):
    _delta(factory, opened)
    _stored_response(db, opened).excluded_at = utcnow()
    db.session.flush()
    mark_answers_changed(opened.rounds[-1].id)
    db.session.refresh(opened.rounds[-1])
    _stale_and_live(db, factory, opened)


def test_a_rejection_makes_them_stale(db, factory, opened):
    _delta(factory, opened)
    _stored_response(db, opened).status = "rejected"
    db.session.flush()
    _stale_and_live(db, factory, opened)


def test_a_smaller_id_committing_late_makes_them_stale(db, factory, opened):
    _delta(factory, opened)
    _respond(factory, opened.rounds[-1], opened.groups["Thôn Thượng"], opened.volunteer,
             opened.definition, opened.rng, 1, id=opened.gap)
    _stale_and_live(db, factory, opened)


def test_a_closed_round_with_a_late_upload_adds_it_as_a_delta(db, factory, opened):
    """A closed round's stored rows stay usable after a late upload (a delta), but are no
    longer "current" (the progress page and fingerprints read them alone)."""
    earlier = opened.rounds[-2]
    assert aggregates_current(db.session, earlier)
    _respond(factory, earlier, opened.groups["Thôn Đông"], opened.volunteer,
             opened.definition, opened.rng, 2)
    usable = usable_aggregates(db.session, earlier)
    assert usable is not None and usable.delta
    assert not aggregates_current(db.session, earlier)
    now = utcnow()
    units = _units(opened)
    mixed = [build_round_summary(db.session, earlier, unit, now=now) for unit in units]
    db.session.execute(delete(RoundAggregate).where(RoundAggregate.round_id == earlier.id))
    db.session.flush()
    assert mixed == [build_round_summary(db.session, earlier, unit, now=now) for unit in units]


def test_rows_grouped_by_bucket_in_the_database(db, factory, opened):
    """grouping="child" (the delta's) gives the rows of grouping by unit added up per bucket,
    and nothing of the units outside the scope."""
    from collections import Counter

    from server.analytics.scope import unit_scope
    from server.analytics.spec import form_spec

    current = opened.rounds[-1]
    _delta(factory, opened)
    spec = form_spec(opened.definition)
    keys = tuple(q.name for q in spec.questions)
    for unit in (opened.province, opened.communes["Xã An Hòa"], opened.groups["Thôn Thượng"]):
        bucket_of = unit_scope(db.session, current, unit).bucket_of
        by_unit = queries.Scope(current.id, unit.path, after_id=opened.gap)
        by_child = queries.Scope(current.id, unit.path, after_id=opened.gap, grouping="child")
        expected = Counter()
        for unit_id, n in queries.response_counts(db.session, by_unit):
            expected[bucket_of[unit_id]] += n
        assert Counter(dict(queries.response_counts(db.session, by_child))) == expected
        assert sum(expected.values()) > 0
        answers = Counter()
        for unit_id, question, value, n in queries.answer_counts(db.session, by_unit, keys,
                                                                spec.choice_names):
            answers[bucket_of[unit_id], question, value] += n
        assert Counter({(u, q, v): n for u, q, v, n in queries.answer_counts(
            db.session, by_child, keys, spec.choice_names)}) == answers


def _stored_documents(db, round_id):
    """The round's stored rows, margins in a fixed order (their order is not a figure)."""
    rows = db.session.execute(select(RoundUnitAggregate.__table__).where(
        RoundUnitAggregate.round_id == round_id)).mappings()
    return {row["unit_id"]: {**row, "margins": sorted(row["margins"] or [], key=repr)
                             if row["margins"] is not None else None} for row in rows}


def test_folding_the_delta_stores_what_a_full_build_would(db, factory, opened):
    current = opened.rounds[-1]
    _delta(factory, opened)
    assert fold_delta(current) > 0
    folded = _stored_documents(db, current.id)
    upto = db.session.get(RoundAggregate, current.id).stamp["upto"]
    assert upto > opened.upto
    assert usable_aggregates(db.session, current) == UsableAggregates(upto, False)
    now = utcnow()
    with_folded = _summaries(db, opened, now)
    assert build_round_aggregates(current) > 0
    assert _stored_documents(db, current.id) == folded
    assert with_folded == _live(db, opened, now)


def test_folding_unusable_rows_is_refused(db, factory, opened):
    _delta(factory, opened)
    _respond(factory, opened.rounds[-1], opened.groups["Thôn Thượng"], opened.volunteer,
             opened.definition, opened.rng, 1, id=opened.gap)
    assert fold_delta(opened.rounds[-1]) is None
