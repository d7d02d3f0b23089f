"""The units' rows of the progress page: the buckets below the scope, each given the sums
of the units at or below it (the report's coverage rule), the total and the units behind."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from server.extensions import db
from server.progress.pace import Pace, expected_at
from server.progress.rows import Counts, UnitRow
from server.progress.scope import RoundUnits, in_roots
from server.rounds.models import Round, round_units
from server.units.models import Unit, path_ids


def bucket_rows(round_: Round, scope: Unit | None, roots: list[Unit], view: str,
                units: RoundUnits) -> list[UnitRow]:
    child = aliased(Unit)
    has_children = exists().where(child.parent_id == Unit.id)
    query = select(Unit.id, Unit.name, Unit.kind, has_children.label("has_children"))
    if view == "all":
        query = query.join(round_units, round_units.c.unit_id == Unit.id).where(
            round_units.c.round_id == round_.id, in_roots([r.path for r in roots]))
    elif scope is None:
        query = query.where(Unit.id.in_([r.id for r in roots]))
    else:
        query = query.where(Unit.parent_id == scope.id)
    rows = db.session.execute(query).all()
    if view != "all" and scope is not None:
        rows = [row for row in rows if units.related(f"{scope.path}{row.id}/")]
    return [UnitRow(row.id, row.name, row.kind, bool(row.has_children)) for row in rows]


NOTHING = Counts()   # read only: the sums of a unit with nothing at or below it


@dataclass(slots=True)
class SubtreeSums:
    """Per unit, the counts and targets of the units at or below it: added up the tree once
    (33,000 round units at national scale), then looked up per row."""
    counts: dict[int, Counts]
    targets: dict[int, int]

    def of(self, unit_id: int) -> Counts:
        return self.counts.get(unit_id, NOTHING)


def subtree_sums(counts: dict[int, tuple[str, Counts]],
                 targets: list[tuple[int, str, int]], needed: set[int]) -> SubtreeSums:
    """The sums of the `needed` units only (the page's rows and the round's units). Most
    round units have only their own counts: those are shared, not copied, until a second
    unit adds to them."""
    sums: dict[int, Counts] = {}
    shared: set[int] = set()
    for path, unit_counts in counts.values():
        for unit_id in path_ids(path):
            if unit_id not in needed:
                continue
            known = sums.get(unit_id)
            if known is None:
                sums[unit_id] = unit_counts
                shared.add(unit_id)
                continue
            if unit_id in shared:
                shared.discard(unit_id)
                known = sums[unit_id] = Counts(known.responses, known.late, known.rejected,
                                               known.excluded)
            known.add(unit_counts)
    totals: dict[int, int] = {}
    for _, path, target in targets:
        for unit_id in path_ids(path):
            if unit_id in needed:
                totals[unit_id] = totals.get(unit_id, 0) + target
    return SubtreeSums(sums, totals)


def roll_up(rows: list[UnitRow], sums: SubtreeSums, pace: Pace) -> None:
    """Each bucket gets the sums of the units at or below it (the report's coverage rule)."""
    for row in rows:
        if not row.own:
            row.counts.add(sums.of(row.id))
            if row.id in sums.targets:
                row.target = (row.target or 0) + sums.targets[row.id]
        row.expected = pace.expected(row.target)


def total_row(scope: Unit | None, counts, targets, pace: Pace) -> UnitRow:
    total = UnitRow(scope.id if scope else 0, scope.name if scope else "", scope.kind if scope else "")
    for _, unit_counts in counts.values():
        total.counts.add(unit_counts)
    total.target = sum(target for _, _, target in targets) if targets else None
    total.expected = pace.expected(total.target)
    return total


def own_row(scope: Unit, counts) -> UnitRow | None:
    """Responses made at the scope unit itself (a commune's own volunteers), if any."""
    if scope.id not in counts:
        return None
    row = UnitRow(scope.id, scope.name, scope.kind, own=True)
    row.counts.add(counts[scope.id][1])
    return row


def behind_units(targets, sums: SubtreeSums, pace: Pace) -> int:
    """Round units under the roots whose own subtree is behind the pace (33,000 at national
    scale: the pace's fraction is worked out once)."""
    fraction = pace.fraction
    behind = 0
    for unit_id, _, _ in targets:
        target = sums.targets.get(unit_id)
        expected = 0 if target is None else expected_at(target, fraction)
        behind += expected > sums.of(unit_id).responses
    return behind
