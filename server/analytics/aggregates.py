"""Materialising a round's per-unit aggregates (server/analytics/models.py), open or closed.

The round's answers up to its last response id L are grouped by the very queries a live
summary runs (server/analytics/queries.py, scoped to the whole tree and bounded by L), the
database grouping each residential group's rows into its commune; they are then added up
the unit tree here: each unit with child units keeps its subtree's tallies and measure
margins, every unit with responses at or below it its counts. Residential groups (units
without children) keep no tallies: a commune's summary reads its own few hundred responses
live, a province's or the country's adds up its children's stored rows and reads live only
the responses after L (server/analytics/delta.py).

When they may be used is server/analytics/currency.py's: never wrong, at worst read live.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from server.analytics import queries
from server.analytics.currency import aggregates_current, round_stamp
from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.analytics.spec import FormSpec, form_spec
from server.db_types import utcnow
from server.extensions import db
from server.rounds.models import Round
from server.sync.models import Response
from server.units.models import Unit, path_ids

BATCH = 5000


def measure_key(measure: queries.Measure) -> str:
    """A measure as stored: its question, its not-applicable value and its counted values
    (a later round's form may count other values: then the key differs and it is re-read)."""
    return f"{measure.question}|{measure.not_applicable}|{','.join(measure.values)}"


def stored_measures(spec: FormSpec) -> tuple[queries.Measure, ...]:
    """Every measure a summary may ask of this round: its items, overall question and
    incidents (analytics.build._measures with incidents)."""
    satisfied = tuple(sorted(spec.satisfied_values))
    names = (*spec.item_names, *([spec.overall] if spec.overall else []))
    measures = [queries.Measure(name, satisfied, spec.not_applicable) for name in names]
    measures += [queries.Measure(incident.question, (incident.value,), spec.not_applicable)
                 for incident in spec.incidents]
    return tuple(dict.fromkeys(measures))


# --- materialising --------------------------------------------------------------------------

class _Tree:
    """The unit tree: which units keep tallies (those with children) and, per unit, the
    units at or above it whose subtree it is in."""

    def __init__(self, session: Session):
        rows = session.execute(select(Unit.id, Unit.parent_id, Unit.path)).all()
        self.path_ids = {row.id: path_ids(row.path) for row in rows}
        self.with_children = {row.parent_id for row in rows if row.parent_id is not None}
        self._tallied: dict[int, list[int]] = {}

    def tallied_above(self, unit_id: int) -> list[int]:
        """The units at or above `unit_id` that keep tallies."""
        found = self._tallied.get(unit_id)
        if found is None:
            found = [i for i in self.path_ids[unit_id] if i in self.with_children]
            self._tallied[unit_id] = found
        return found


def _counts(session: Session, round_id: int, upto_id: int, tree: _Tree,
            after_id: int | None = None) -> dict[int, dict]:
    """Per unit: own and subtree counts (RoundUnitAggregate's count columns) of the
    responses with after_id < id <= upto_id."""
    listed = Response.status.in_(queries.COUNTED_STATUSES)
    counted = listed & Response.excluded_at.is_(None)

    def number(condition):
        return func.sum(case((condition, 1), else_=0))

    bounds = [Response.round_id == round_id, Response.id <= upto_id]
    if after_id is not None:
        bounds.append(Response.id > after_id)

    rows = session.execute(
        select(Response.unit_id, number(listed), func.sum(case((listed, Response.id), else_=0)),
               func.max(case((listed, Response.id), else_=0)), number(counted),
               number(counted & Response.is_late.is_(True)),
               number(Response.status == "rejected"), number(Response.excluded_at.is_not(None)))
        .where(*bounds).group_by(Response.unit_id))
    counts: dict[int, dict] = {}

    def entry(unit_id: int) -> dict:
        return counts.setdefault(unit_id, {
            "own_listed": 0, "own_listed_id_sum": 0, "own_listed_id_max": 0,
            "own_responses": 0, "own_late": 0, "own_rejected": 0, "own_excluded": 0,
            "tree_listed": 0, "tree_listed_id_sum": 0, "tree_listed_id_max": 0,
            "tree_responses": 0})

    for unit_id, n, id_sum, id_max, responses, late, rejected, excluded in rows:
        own = entry(unit_id)
        own.update(own_listed=int(n or 0), own_listed_id_sum=int(id_sum or 0),
                   own_listed_id_max=int(id_max or 0), own_responses=int(responses or 0),
                   own_late=int(late or 0), own_rejected=int(rejected or 0),
                   own_excluded=int(excluded or 0))
        for above in tree.path_ids[unit_id]:
            row = entry(above)
            row["tree_listed"] += int(n or 0)
            row["tree_listed_id_sum"] += int(id_sum or 0)
            row["tree_listed_id_max"] = max(row["tree_listed_id_max"], int(id_max or 0))
            row["tree_responses"] += int(responses or 0)
    return counts


def _nearest(tree: _Tree, rows, width: int) -> dict[tuple, list[int]]:
    """The grouped rows (unit, key..., numbers...) added up per nearest unit keeping tallies
    (a residential group's rows into its commune): one dictionary update per row, then the
    far fewer sums are added up the tree (_up)."""
    found: dict[tuple, list[int]] = {}
    for row in rows:
        tallied = tree.tallied_above(row[0])
        if not tallied:
            continue
        key = (tallied[-1], *row[1:len(row) - width])
        numbers = [int(n or 0) for n in row[len(row) - width:]]
        known = found.get(key)
        found[key] = numbers if known is None else [a + b for a, b in zip(known, numbers,
                                                                        strict=True)]
    return found


def _up(tree: _Tree, found: dict[tuple, list[int]]) -> dict[tuple, list[int]]:
    """Each nearest unit's sums added to every unit above it keeping tallies."""
    result: dict[tuple, list[int]] = {}
    for (unit_id, *key), numbers in found.items():
        for above in tree.tallied_above(unit_id):
            full = (above, *key)
            known = result.get(full)
            result[full] = list(numbers) if known is None else [
                a + b for a, b in zip(known, numbers, strict=True)]
    return result


def _counts_up(tree: _Tree, rows) -> dict[tuple, int]:
    """_nearest then _up for rows with one number (most of a round's rows: plain integer
    sums are several times cheaper than lists)."""
    nearest: dict[tuple, int] = {}
    for unit_id, *key, n in rows:
        tallied = tree.tallied_above(unit_id)
        if tallied:
            full = (tallied[-1], *key)
            nearest[full] = nearest.get(full, 0) + int(n or 0)
    result: dict[tuple, int] = {}
    for (unit_id, *key), n in nearest.items():
        for above in tree.tallied_above(unit_id):
            full = (above, *key)
            result[full] = result.get(full, 0) + n
    return result


def _tallies(session: Session, where: queries.Scope, spec: FormSpec,
             tree: _Tree) -> dict[int, dict]:
    """Per unit keeping tallies: its subtree's {"a": ..., "v": ..., "s": ...}
    (analytics.tallies.tallies_by_bucket's rules)."""
    answers = queries.answer_counts(session, where, tuple(q.name for q in spec.questions),
                                    spec.choice_names)
    rows = [(unit_id, "a", question, "", n) for unit_id, question, _, n in answers]
    rows += [(unit_id, "v", question, str(value), n) for unit_id, question, value, n in answers
             if value is not None]
    for name in spec.multiple_choice_names:
        rows += [(unit_id, "v", name, str(value), n)
                 for unit_id, value, n in queries.chosen_counts(session, where, name)]
    rows += [(unit_id, "s", str(question), "", n)
             for unit_id, question, n in queries.skipped_counts_by_unit(session, where)]
    found: dict[int, dict] = {}
    for (unit_id, kind, question, value), n in _counts_up(tree, rows).items():
        tally = found.setdefault(unit_id, {"a": {}, "s": {}, "v": {}})
        if kind == "v":
            values = tally["v"].setdefault(question, {})
            values[value] = values.get(value, 0) + n
        else:
            tally[kind][question] = tally[kind].get(question, 0) + n
    return found


def _margins(session: Session, where: queries.Scope, spec: FormSpec,
             tree: _Tree) -> dict[int, list]:
    """Per unit keeping tallies: its subtree's measure margins (the whole subtree under
    dimension "", then each breakdown question's answers)."""
    measures = stored_measures(spec)
    keys = [measure_key(measure) for measure in measures]
    rows = queries.unit_margins(session, where, spec.breakdowns, measures)
    found: dict[int, list] = {}
    for (unit_id, dimension, answered, value), numbers in _up(
            tree, _nearest(tree, rows, 1 + 2 * len(keys))).items():
        cells = {key: [numbers[1 + 2 * i], numbers[2 + 2 * i]] for i, key in enumerate(keys)
                 if numbers[1 + 2 * i] or numbers[2 + 2 * i]}
        found.setdefault(unit_id, []).append([dimension, answered, value, numbers[0], cells])
    return found


EMPTY_TALLIES = {"a": {}, "s": {}, "v": {}}


@dataclass
class Collected:
    """A round's responses in an id range, grouped and added up the tree as stored."""
    round_id: int
    tree: _Tree
    counts: dict[int, dict]             # unit -> its count columns
    tallies: dict[int, dict]            # unit keeping tallies -> its tallies document
    margins: dict[int, list]            # unit keeping tallies -> its margins document

    def row(self, unit_id: int) -> dict:
        """The unit's RoundUnitAggregate row as a new one stores it."""
        kept = unit_id in self.tree.with_children
        return {"round_id": self.round_id, "unit_id": unit_id, **self.counts[unit_id],
                "tallies": self.tallies.get(unit_id, EMPTY_TALLIES) if kept else None,
                "margins": self.margins.get(unit_id, []) if kept else None}


def collect(session: Session, round_: Round, upto_id: int,
            after_id: int | None = None) -> Collected:
    """The round's responses with after_id < id <= upto_id (the database grouping each
    residential group's rows into its commune), added up the unit tree."""
    spec = form_spec(round_.form_version.definition)
    tree = _Tree(session)
    where = queries.Scope(round_.id, "/", upto_id=upto_id, after_id=after_id,
                          grouping="tallying")
    return Collected(round_.id, tree, _counts(session, round_.id, upto_id, tree, after_id),
                     _tallies(session, where, spec, tree), _margins(session, where, spec, tree))


def _insert(session: Session, rows: list[dict]) -> None:
    # a Core insert of the table: one multi-row statement per page of rows (the ORM's bulk
    # insert split them into a batch per run of rows with or without tallies: 22 s -> s)
    table = RoundUnitAggregate.__table__
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start:start + BATCH])


def _stored_units(session: Session, round_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(RoundUnitAggregate)
                              .where(RoundUnitAggregate.round_id == round_id)) or 0)


def build_round_aggregates(round_: Round) -> int:
    """Store the round's aggregates of its responses up to its last id now, open or closed;
    flushes only. Returns the number of units with stored counts."""
    session = db.session
    # one build of a round at a time (the refresh job, pre-generation): the second waits
    header = session.get(RoundAggregate, round_.id, with_for_update=True)
    # the stamp (and its bound L) is taken before the data is read, every query is bounded
    # by L: a response committing in between is the next summary's delta, or makes the
    # stored rows unusable (an id <= L committing late), never counted twice
    data_version = round_.data_version
    stamp = round_stamp(session, round_)
    upto_id = stamp["upto"]
    session.execute(delete(RoundUnitAggregate).where(RoundUnitAggregate.round_id == round_.id))
    collected = collect(session, round_, upto_id)
    _insert(session, [collected.row(unit_id) for unit_id in collected.counts])
    if header is None:
        header = RoundAggregate(round_id=round_.id)
        session.add(header)
    header.data_version, header.stamp, header.built_at = data_version, stamp, utcnow()
    session.flush()
    return len(collected.counts)


def materialise_round_aggregates(round_id: int) -> int:
    """Store the closed round's per-unit aggregates, unless those stored are current;
    flushes only (the caller commits). Returns the number of units with stored counts (0
    for a round that is missing or not closed: open rounds are the refresh job's,
    server/analytics/refresh.py)."""
    session = db.session
    round_ = session.get(Round, round_id)
    if round_ is None or round_.effective_status() != "closed":
        return 0
    if aggregates_current(session, round_):
        return _stored_units(session, round_id)
    return build_round_aggregates(round_)
