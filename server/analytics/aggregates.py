"""Materialising a closed round's per-unit aggregates (server/analytics/models.py), and
knowing whether they are still current.

The round's answers are grouped per unit by the very queries a live summary runs
(server/analytics/queries.py, scoped to the whole tree), then added up the unit tree here:
each unit with child units keeps its subtree's tallies and measure margins, every unit with
responses at or below it its counts. Residential groups (units without children) keep no
tallies: a commune's summary reads its own few hundred responses live, a province's or the
country's adds up its children's stored rows.

Aggregates are current while the round is closed and nothing they rest on changed: the
round's data version (answers changed in place), its responses per status (count, id sum,
last id: a late upload, a rejection), its form version and the unit tree. Otherwise every
reader falls back to the live queries, so figures never differ.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, case, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from server.analytics import queries
from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.analytics.spec import FormSpec, form_spec
from server.db_types import utcnow
from server.extensions import db
from server.rounds.models import Round
from server.sync.models import Response
from server.units.models import Unit

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


# --- currency -------------------------------------------------------------------------------

def round_stamp(session: Session, round_: Round) -> dict:
    """What a round's aggregates rest on besides its data version: its responses per status
    (from the index on round, unit, status, id alone), its form version and the unit tree."""
    responses = [[status, int(n), int(total or 0), int(last or 0)]
                 for status, n, total, last in session.execute(
                     select(Response.status, func.count(Response.id), func.sum(Response.id),
                            func.max(Response.id))
                     .where(Response.round_id == round_.id).group_by(Response.status))]
    tree = session.execute(select(
        func.count(Unit.id), func.sum(cast(Unit.id, BigInteger) * func.coalesce(Unit.parent_id, 0)),
        func.sum(func.length(Unit.path)))).one()
    return {"responses": sorted(responses), "tree": [int(value or 0) for value in tree],
            "form": round_.form_version.content_hash}


def aggregates_current(session: Session, round_: Round) -> bool:
    """The round is closed and its stored aggregates were built from its data as it is."""
    if round_.effective_status() != "closed":
        return False
    header = session.get(RoundAggregate, round_.id)
    if header is None or header.data_version != round_.data_version:
        return False
    return header.stamp == round_stamp(session, round_)


# --- materialising --------------------------------------------------------------------------

def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


class _Tree:
    """The unit tree: which units keep tallies (those with children) and, per unit, the
    units at or above it whose subtree it is in."""

    def __init__(self, session: Session):
        rows = session.execute(select(Unit.id, Unit.parent_id, Unit.path)).all()
        self.path_ids = {row.id: _path_ids(row.path) for row in rows}
        self.with_children = {row.parent_id for row in rows if row.parent_id is not None}
        self._tallied: dict[int, list[int]] = {}

    def tallied_above(self, unit_id: int) -> list[int]:
        """The units at or above `unit_id` that keep tallies."""
        found = self._tallied.get(unit_id)
        if found is None:
            found = [i for i in self.path_ids[unit_id] if i in self.with_children]
            self._tallied[unit_id] = found
        return found


def _counts(session: Session, round_id: int, tree: _Tree) -> dict[int, dict]:
    """Per unit: own and subtree counts (RoundUnitAggregate's count columns)."""
    listed = Response.status.in_(queries.COUNTED_STATUSES)
    counted = listed & Response.excluded_at.is_(None)

    def number(condition):
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(
        select(Response.unit_id, number(listed), func.sum(case((listed, Response.id), else_=0)),
               func.max(case((listed, Response.id), else_=0)), number(counted),
               number(counted & Response.is_late.is_(True)),
               number(Response.status == "rejected"), number(Response.excluded_at.is_not(None)))
        .where(Response.round_id == round_id).group_by(Response.unit_id))
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
    for (unit_id, kind, question, value), (n,) in _up(tree, _nearest(tree, rows, 1)).items():
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
    rows = [(unit_id, "", True, "", *numbers)
            for unit_id, *numbers in queries.unit_measure_counts(session, where, measures)]
    for dimension in spec.breakdowns:
        rows += [(unit_id, dimension, value is not None, "" if value is None else str(value),
                  *numbers)
                 for unit_id, value, *numbers in queries.unit_margin_counts(
                     session, where, dimension, measures)]
    found: dict[int, list] = {}
    for (unit_id, dimension, answered, value), numbers in _up(
            tree, _nearest(tree, rows, 1 + 2 * len(keys))).items():
        cells = {key: [numbers[1 + 2 * i], numbers[2 + 2 * i]] for i, key in enumerate(keys)
                 if numbers[1 + 2 * i] or numbers[2 + 2 * i]}
        found.setdefault(unit_id, []).append([dimension, answered, value, numbers[0], cells])
    return found


_EMPTY = {"a": {}, "s": {}, "v": {}}


def _insert(session: Session, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(RoundUnitAggregate), rows[start:start + BATCH])


def _stored_units(session: Session, round_id: int) -> int:
    return int(session.scalar(select(func.count()).select_from(RoundUnitAggregate)
                              .where(RoundUnitAggregate.round_id == round_id)) or 0)


def materialise_round_aggregates(round_id: int) -> int:
    """Store the closed round's per-unit aggregates, unless those stored are current;
    flushes only (the caller commits). Returns the number of units with stored counts (0
    for a round that is missing or not closed: an open round is always read live)."""
    session = db.session
    round_ = session.get(Round, round_id)
    if round_ is None or round_.effective_status() != "closed":
        return 0
    # the stamp is taken before the data is read: a response arriving in between makes the
    # stored aggregates stale at once (read live), never wrong
    data_version = round_.data_version
    stamp = round_stamp(session, round_)
    header = session.get(RoundAggregate, round_id)
    if header is not None and header.data_version == data_version and header.stamp == stamp:
        return _stored_units(session, round_id)
    session.execute(delete(RoundUnitAggregate).where(RoundUnitAggregate.round_id == round_id))
    spec = form_spec(round_.form_version.definition)
    tree = _Tree(session)
    where = queries.Scope(round_id, "/")
    counts = _counts(session, round_id, tree)
    tallies = _tallies(session, where, spec, tree)
    margins = _margins(session, where, spec, tree)
    _insert(session, [
        {"round_id": round_id, "unit_id": unit_id, **values,
         "tallies": (tallies.get(unit_id, _EMPTY)
                     if unit_id in tree.with_children else None),
         "margins": margins.get(unit_id, []) if unit_id in tree.with_children else None}
        for unit_id, values in counts.items()])
    if header is None:
        header = RoundAggregate(round_id=round_id)
        session.add(header)
    header.data_version, header.stamp, header.built_at = data_version, stamp, utcnow()
    session.flush()
    return len(counts)
