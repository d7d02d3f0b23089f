"""Issue 15: a closed round's per-unit aggregates. A province's summary read from them (its
children's stored subtrees) equals the summary read live from every answer, figure by
figure (suppression, breakdowns, comparisons with each child's own previous round); stale
or missing aggregates are never used."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update
from survey_data import COMMENTS, build_dataset, build_history

from server.analytics import queries
from server.analytics.aggregates import aggregates_current, materialise_round_aggregates
from server.analytics.build import build_round_summary
from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.analytics.stored import StoredRounds
from server.db_types import utcnow
from server.demo.synthetic import clean_answers, random_raw_answers
from server.rounds.models import Round

pytestmark = pytest.mark.db


def _answer(definition, rng, mood=0.6):
    return clean_answers(definition, random_raw_answers(definition, rng, mood, COMMENTS,
                                                        comment_rate=0.3))


def _respond(factory, round_, unit, volunteer, definition, rng, n, status="accepted"):
    made = []
    for index in range(n):
        clean = _answer(definition, rng)
        made.append(factory.response(
            round_, unit, volunteer, clean.answers, skipped=clean.skipped, status=status,
            completed_at=round_.opens_at + timedelta(days=2, minutes=index)))
    return made


@pytest.fixture
def history(db, factory):
    """build_history, plus responses made at a commune and at the province themselves (a
    bucket of a unit's own responses), a rejected and an excluded one, in the closed round."""
    data = build_history(db, factory)
    rng = random.Random(3)
    current = data.rounds[-1]
    volunteer = factory.user("tnv_aggregates", "volunteer", units=[data.province])
    _respond(factory, current, data.communes["Xã An Hòa"], volunteer, data.definition, rng, 6)
    _respond(factory, current, data.province, volunteer, data.definition, rng, 7)
    _respond(factory, current, data.groups["Thôn Đông"], volunteer, data.definition, rng, 2,
             status="rejected")
    excluded = _respond(factory, current, data.groups["Thôn Hạ"], volunteer, data.definition,
                        rng, 1)[0]
    excluded.excluded_at = utcnow()
    db.session.flush()
    return data


def _summaries(db, round_, units, now):
    return [build_round_summary(db.session, round_, unit, now=now) for unit in units]


def _forget_aggregates(db):
    db.session.execute(delete(RoundAggregate))
    db.session.flush()


def _units(data):
    return [data.province, *data.communes.values(), *data.groups.values()]


def test_stored_and_live_summaries_are_identical(db, history):
    current = history.rounds[-1]
    for round_ in history.rounds:
        assert materialise_round_aggregates(round_.id) > 0
    assert StoredRounds(db.session, history.province).get(current) is not None
    now = utcnow()
    stored = _summaries(db, current, _units(history), now)
    _forget_aggregates(db)
    assert StoredRounds(db.session, history.province).get(current) is None
    live = _summaries(db, current, _units(history), now)
    assert stored == live
    province = stored[0]
    # the figures at stake are there: comparisons, ranked children, breakdowns, hidden cells
    assert province.previous_round is not None and province.children
    assert any(table.key not in ("unit", "residential_group") for table in province.breakdowns)
    assert province.coverage.responses == 42 + 36 + 3 + 33 + 6 + 7
    assert any(question.skipped_by_logic for question in province.questions)


def test_dataset_province_of_a_closed_round(db, factory):
    """The other seeded survey (flagged and rejected responses, a group under k), its
    current round closed early."""
    data = build_dataset(db, factory)
    db.session.execute(update(Round).where(Round.id == data.current.id).values(status="closed"))
    db.session.flush()
    db.session.refresh(data.current)
    for round_ in (data.previous, data.current):
        assert materialise_round_aggregates(round_.id) > 0
    now = utcnow()
    units = [data.province, *data.communes.values()]
    stored = _summaries(db, data.current, units, now)
    _forget_aggregates(db)
    assert stored == _summaries(db, data.current, units, now)


def test_a_province_reads_no_answer_when_its_aggregates_are_current(db, history,
                                                                      monkeypatch):
    for round_ in history.rounds:
        materialise_round_aggregates(round_.id)
    expected = build_round_summary(db.session, history.rounds[-1], history.province)

    def refuse(*args, **kwargs):
        raise AssertionError("answers re-read")

    for name in ("answer_counts", "chosen_counts", "skipped_counts", "response_counts",
                 "breakdown_counts", "unit_measure_counts"):
        monkeypatch.setattr(queries, name, refuse)
    summary = build_round_summary(db.session, history.rounds[-1], history.province,
                                  now=expected.generated_at)
    assert summary == expected


def test_a_late_response_or_a_changed_answer_makes_them_stale(db, history, factory):
    current = history.rounds[-1]
    materialise_round_aggregates(current.id)
    assert aggregates_current(db.session, current)
    before = build_round_summary(db.session, current, history.province)
    # a late upload into the closed round does not raise the data version: the ids see it
    volunteer = factory.user("tnv_late", "volunteer", units=[history.province])
    _respond(factory, current, history.groups["Thôn Thượng"], volunteer, history.definition,
             random.Random(5), 1)
    db.session.flush()
    assert not aggregates_current(db.session, current)
    after = build_round_summary(db.session, current, history.province)
    assert after.coverage.responses == before.coverage.responses + 1
    materialise_round_aggregates(current.id)
    assert aggregates_current(db.session, current)
    assert build_round_summary(db.session, current, history.province,
                               now=after.generated_at) == after
    # an answer changed in place raises the data version
    db.session.execute(update(Round).where(Round.id == current.id)
                       .values(data_version=Round.data_version + 1))
    db.session.flush()
    db.session.refresh(current)
    assert not aggregates_current(db.session, current)


def test_materialising_is_idempotent_and_only_for_closed_rounds(db, factory):
    data = build_dataset(db, factory)
    assert materialise_round_aggregates(data.current.id) == 0     # open: always live
    assert db.session.get(RoundAggregate, data.current.id) is None
    units = materialise_round_aggregates(data.previous.id)
    # the province, two communes and five groups hold responses
    assert units == 1 + 2 + 5
    built = db.session.get(RoundAggregate, data.previous.id).built_at
    assert materialise_round_aggregates(data.previous.id) == units
    assert db.session.get(RoundAggregate, data.previous.id).built_at == built
    assert db.session.scalar(select(func.count()).select_from(RoundUnitAggregate)) == units
    # groups keep counts but no tallies; the communes and the province keep both
    tallied = set(db.session.scalars(select(RoundUnitAggregate.unit_id)
                                     .where(RoundUnitAggregate.tallies.is_not(None))))
    assert tallied == {data.province.id, *(c.id for c in data.communes.values())}
    province = db.session.get(RoundUnitAggregate, (data.previous.id, data.province.id))
    counted = [r for r in data.responses if r.round_id == data.previous.id
               and r.status != "rejected"]
    assert province.tree_responses == len(counted)
