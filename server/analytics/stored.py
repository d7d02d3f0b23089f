"""A unit's figures in a round read from the stored aggregates (analytics/aggregates.py):
its children's subtrees are its report's buckets, its own subtree the whole, its own
responses the difference. The stored rows hold the round's responses up to an id; those
after it (the delta, `StoredUnit.after_id`) are read live on top (analytics/delta.py).

The tallies made here equal those the live queries make (analytics/tallies.py), which the
aggregate tests check figure by figure; `load_stored` returns None wherever they cannot be
made (a child without stored tallies: a commune's residential groups), and the caller reads
live. Two small queries whatever the size of the subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.analytics.aggregates import measure_key, stored_measures
from server.analytics.currency import usable_aggregates
from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.analytics.spec import form_spec
from server.analytics.tallies import Tally
from server.rounds.models import Round
from server.units.models import Unit


def _in_scope(column, unit_id: int):
    """The unit and its children."""
    return or_(column == unit_id, column.in_(select(Unit.id).where(Unit.parent_id == unit_id)))


def _subtract(whole: dict, parts: list[dict]) -> dict:
    left = dict(whole)
    for part in parts:
        for key, n in part.items():
            left[key] = left.get(key, 0) - n
    return {key: n for key, n in left.items() if n}


@dataclass
class StoredUnit:
    """The stored aggregates of a unit and its children in one round."""
    unit_id: int
    responses: dict[int, int]                  # unit -> its subtree's counted responses
    own_responses: int
    tallies: dict[int, dict]                   # unit -> RoundUnitAggregate.tallies
    margins: dict[int, dict]                   # unit -> (dimension, answered, value) -> (responses, cells)
    # the responses with a larger id are not stored (read them live); None: there are none
    after_id: int | None = None

    def _children(self) -> list[int]:
        return [unit_id for unit_id, n in self.responses.items()
                if unit_id != self.unit_id and n > 0]

    def bucket_counts(self) -> dict[int, int]:
        """Bucket (child, or the unit itself for its own responses) -> counted responses."""
        found = {child: self.responses[child] for child in self._children()}
        if self.own_responses:
            found[self.unit_id] = self.own_responses
        return found

    # --- the summary's tallies ---------------------------------------------------------

    def _answers(self, unit_id: int) -> dict[tuple[str, str, str], int]:
        stored = self.tallies.get(unit_id) or {}
        found = {("a", question, ""): n for question, n in stored.get("a", {}).items()}
        found.update({("v", question, value): n
                      for question, values in stored.get("v", {}).items()
                      for value, n in values.items()})
        return found

    @staticmethod
    def _tally(entries: dict, responses: int) -> Tally:
        tally = Tally(responses=responses)
        for (kind, question, value), n in entries.items():
            if kind == "a":
                tally.answered[question] += n
            else:
                tally.values[question][value] += n
        return tally

    def round_tallies(self) -> tuple[dict[int, Tally], Tally]:
        """Tallies per bucket and the whole (with its skipped counts), as
        analytics.build._round_tallies makes them."""
        children = self._children()
        by_bucket = {child: self._tally(self._answers(child), self.responses[child])
                     for child in children}
        whole = self._answers(self.unit_id)
        if self.own_responses:
            own = _subtract(whole, [self._answers(child) for child in children])
            by_bucket[self.unit_id] = self._tally(own, self.own_responses)
        all_units = self._tally(whole, self.responses.get(self.unit_id, 0))
        for question, n in (self.tallies.get(self.unit_id) or {}).get("s", {}).items():
            all_units.skipped[question] += n
        return by_bucket, all_units

    def _measured(self, unit_id: int, margin: tuple[str, bool, str], measures) -> list[int]:
        """[responses, then valid and counted per measure] (queries._measure_counts' row)."""
        responses, cells = self.margins.get(unit_id, {}).get(margin, (0, {}))
        numbers = [responses]
        for measure in measures:
            numbers += cells.get(measure_key(measure), [0, 0])
        return numbers

    def breakdown_tallies(self, dimensions: tuple[str, ...], measures) -> dict[str, dict]:
        """Per breakdown question, tallies keyed by its answer (None: not answered), as
        analytics.tallies.tallies_by_breakdown makes them."""
        margins = self.margins.get(self.unit_id, {})
        return {dimension: {
            (value if answered else None): _measured_tally(
                measures, self._measured(self.unit_id, (name, answered, value), measures))
            for name, answered, value in margins if name == dimension}
            for dimension in dimensions}

    def measure_tallies(self, measures) -> dict[int, Tally]:
        """Tallies per bucket of the measures (analytics.tallies.tallies_by_measures)."""
        whole_subtree = ("", True, "")
        children = self._children()
        by_bucket = {child: _measured_tally(measures, self._measured(child, whole_subtree,
                                                                     measures))
                     for child in children}
        if self.own_responses:
            own = self._measured(self.unit_id, whole_subtree, measures)
            for child in children:
                own = [a - b for a, b in zip(own, self._measured(child, whole_subtree, measures),
                                             strict=True)]
            by_bucket[self.unit_id] = _measured_tally(measures, own)
        return by_bucket


def _measured_tally(measures, numbers: list[int]) -> Tally:
    tally = Tally(responses=numbers[0])
    for index, measure in enumerate(measures):
        tally.answered[measure.question] += numbers[1 + 2 * index]
        tally.values[measure.question][measure.values[0]] += numbers[2 + 2 * index]
    return tally


def load_stored(session: Session, round_id: int, unit: Unit) -> StoredUnit | None:
    """The unit's and its children's stored aggregates in the round (the caller checks
    they are usable), or None when a child holding responses keeps no tallies (the report
    is read live)."""
    table = RoundUnitAggregate
    where = (table.round_id == round_id, _in_scope(table.unit_id, unit.id))
    counts = session.execute(select(table.unit_id, table.tree_responses, table.own_responses,
                                    table.tallies.is_not(None).label("kept"))
                             .where(*where)).all()
    if any(not row.kept and row.tree_responses > 0 for row in counts):
        return None
    stored = StoredUnit(unit.id, {row.unit_id: int(row.tree_responses) for row in counts},
                        next((int(row.own_responses) for row in counts
                              if row.unit_id == unit.id), 0), {}, {})
    for unit_id, tallies, margins in session.execute(
            select(table.unit_id, table.tallies, table.margins)
            .where(*where, table.tree_responses > 0)):
        stored.tallies[unit_id] = tallies
        stored.margins[unit_id] = {(dimension, bool(answered), value): (responses, cells)
                                   for dimension, answered, value, responses, cells
                                   in margins or []}
    return stored


class StoredRounds:
    """A unit's stored rows per round, for one summary (its round and the earlier rounds it
    is compared with); None for a round read live. The cheap checks come first: a commune
    (children without tallies) costs one small query, not the round's stamp."""

    def __init__(self, session: Session, unit: Unit):
        self.session, self.unit = session, unit
        self._found: dict[int, StoredUnit | None] = {}

    def get(self, round_: Round) -> StoredUnit | None:
        """The stored rows, open round or closed; `after_id` says whether a delta is to be
        read live on top of them."""
        if round_.id not in self._found:
            self._found[round_.id] = self._load(round_)
        return self._found[round_.id]

    def whole(self, round_: Round) -> StoredUnit | None:
        """The stored rows if they hold every response of the round (no delta): what the
        comparisons with an earlier round read (a late upload into it: read live)."""
        stored = self.get(round_)
        return stored if stored is not None and stored.after_id is None else None

    def _load(self, round_: Round) -> StoredUnit | None:
        header = self.session.get(RoundAggregate, round_.id)
        if header is None or header.data_version != round_.data_version:
            return None
        stored = load_stored(self.session, round_.id, self.unit)
        if stored is None:
            return None
        usable = usable_aggregates(self.session, round_, header)
        if usable is None:
            return None
        stored.after_id = usable.upto_id if usable.delta else None
        return stored

    def measures_of(self, round_: Round, measures) -> StoredUnit | None:
        """The round's stored rows, if whole, when they hold every measure asked (the
        round's own form asked for the same ones)."""
        stored = self.whole(round_)
        if stored is None:
            return None
        kept = {measure_key(m) for m in stored_measures(form_spec(round_.form_version.definition))}
        return stored if all(measure_key(m) in kept for m in measures) else None
