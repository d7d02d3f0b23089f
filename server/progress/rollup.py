"""The units' rows of the progress page: the buckets below the scope, each given the sums
of the units at or below it (the report's coverage rule), the total and the units behind."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.progress.pace import Pace, expected_at
from server.progress.rows import Counts, UnitRow, add_numbers
from server.progress.scope import RoundUnits
from server.reporting.fingerprint import path_prefix_filter
from server.rounds.models import Round, round_units
from server.units.models import Unit, path_ids


def bucket_rows(round_: Round, scope: Unit | None, roots: list[Unit], view: str,
                units: RoundUnits) -> list[UnitRow]:
    child = aliased(Unit)
    has_children = exists().where(child.parent_id == Unit.id)
    query = select(Unit.id, Unit.name, Unit.kind, has_children.label("has_children"))
    if view == "all":
        query = query.join(round_units, round_units.c.unit_id == Unit.id).where(
            round_units.c.round_id == round_.id, path_prefix_filter([r.path for r in roots]))
    elif scope is None:
        query = query.where(Unit.id.in_([r.id for r in roots]))
    else:
        query = query.where(Unit.parent_id == scope.id)
    rows = db.session.execute(query).all()
    if view != "all" and scope is not None:
        rows = [row for row in rows if units.related(f"{scope.path}{row.id}/")]
    return [UnitRow(row.id, row.name, row.kind, bool(row.has_children)) for row in rows]


NOTHING = (0, 0, 0, 0)   # the numbers of a unit with nothing at or below it


@dataclass(slots=True)
class SubtreeSums:
    """Per unit, the numbers and targets of the units at or below it: added up the tree once
    (33,000 round units at national scale), then looked up per row."""
    own: dict[int, list[int]]        # each unit's own numbers (RoundCounts.units)
    added: dict[int, list[int]]      # own + descendants', for units with any descendant's
    targets: dict[int, int]          # units with a round unit at or below them

    def numbers(self, unit_id: int):
        """[responses, late, rejected, excluded] at or below the unit (read only)."""
        found = self.added.get(unit_id)
        if found is None:
            found = self.own.get(unit_id, NOTHING)
        return found

    def of(self, unit_id: int) -> Counts:
        return Counts(*self.numbers(unit_id))


def subtree_sums(own: dict[int, list[int]], paths: dict[int, str],
                 targets: list[tuple[int, str, int]]) -> SubtreeSums:
    """Each unit's own numbers and target added to its parent only, then the parents' (far
    fewer: a commune's groups share one) passed on up, deepest first: about one addition
    per unit (36,000 at national scale), not one per unit and ancestor."""
    received: dict[int, list[int]] = {}        # descendants' numbers, per unit
    received_targets: dict[int, int] = {}      # descendants' targets, per unit
    above: dict[int, tuple[int, ...]] = {}     # a unit that received: its path's ids
    # the round units (most units with numbers are some), then any other unit with numbers
    # (say, one dropped from the round after it collected)
    round_ids = {unit_id for unit_id, _, _ in targets}
    units = targets + [(unit_id, paths[unit_id], None) for unit_id in own.keys() - round_ids]
    for unit_id, path, target in units:
        ids = path_ids(path)
        if len(ids) < 2:
            continue
        parent = ids[-2]
        if parent not in above:
            above[parent] = ids[:-1]
        if target is not None:
            received_targets[parent] = received_targets.get(parent, 0) + target
        if (numbers := own.get(unit_id)) is not None:
            add_numbers(received, parent, numbers)
    # the units that received pass it all on to their parent, deepest first
    levels: dict[int, dict[int, tuple[int, ...]]] = {}
    for unit_id, ids in above.items():
        levels.setdefault(len(ids), {})[unit_id] = ids
    for depth in range(max(levels, default=0), 1, -1):
        shallower = levels.setdefault(depth - 1, {})
        for unit_id, ids in levels.get(depth, {}).items():
            parent = ids[-2]
            if parent not in shallower:
                shallower[parent] = ids[:-1]
            if (numbers := received.get(unit_id)) is not None:
                add_numbers(received, parent, numbers)
            if (target := received_targets.get(unit_id)) is not None:
                received_targets[parent] = received_targets.get(parent, 0) + target
    added = received          # the descendants' numbers, and then the unit's own
    for unit_id in received:
        if (mine := own.get(unit_id)) is not None:
            add_numbers(added, unit_id, mine)
    totals = {unit_id: target for unit_id, _, target in targets}
    for unit_id, target in received_targets.items():
        totals[unit_id] = totals.get(unit_id, 0) + target
    return SubtreeSums(own, added, totals)


def roll_up(rows: list[UnitRow], sums: SubtreeSums, pace: Pace) -> None:
    """Each bucket gets the sums of the units at or below it (the report's coverage rule)."""
    for row in rows:
        if not row.own:
            row.counts = sums.of(row.id)          # a bucket's row has no counts of its own
            if row.id in sums.targets:
                row.target = (row.target or 0) + sums.targets[row.id]
        row.expected = pace.expected(row.target)


def total_row(scope: Unit | None, roots: list[Unit], sums: SubtreeSums, has_targets: bool,
              pace: Pace) -> UnitRow:
    """The roots' sums (the roots never lie one below another: see top_scope_units)."""
    total = UnitRow(scope.id if scope else 0, scope.name if scope else "", scope.kind if scope else "")
    for root in roots:
        total.counts.add(sums.of(root.id))
    total.target = sum(sums.targets.get(root.id, 0) for root in roots) if has_targets else None
    total.expected = pace.expected(total.target)
    return total


def own_row(scope: Unit, counts: dict[int, list[int]]) -> UnitRow | None:
    """Responses made at the scope unit itself (a commune's own volunteers), if any."""
    if scope.id not in counts:
        return None
    row = UnitRow(scope.id, scope.name, scope.kind, own=True)
    row.counts.add(Counts(*counts[scope.id]))
    return row


def behind_units(targets, sums: SubtreeSums, pace: Pace) -> int:
    """Round units under the roots whose own subtree is behind the pace (33,000 at national
    scale: the pace's fraction is worked out once, each target's expectation once)."""
    fraction = pace.fraction
    expected_of: dict[int, int] = {}
    totals, added, own = sums.targets, sums.added, sums.own
    behind = 0
    for unit_id, _, _ in targets:
        target = totals.get(unit_id)
        if target is None:
            continue                 # nothing expected: never behind
        expected = expected_of.get(target)
        if expected is None:
            expected = expected_of[target] = expected_at(target, fraction)
        # SubtreeSums.numbers, inline: once per round unit
        numbers = added.get(unit_id) or own.get(unit_id, NOTHING)
        behind += expected > numbers[0]
    return behind
