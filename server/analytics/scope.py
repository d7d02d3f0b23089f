"""The units a report covers: the report unit, its children (the buckets of the breakdown
and the ranking) and the round's targets below it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from server.rounds.models import Round, round_units
from server.units.models import Unit
from server.units.services import slugify

RESIDENTIAL_KINDS = ("village", "hamlet", "residential_group")
_PATH = re.compile(r"/(?:[0-9]+/)*")


@dataclass(frozen=True, slots=True)
class ChildUnit:
    id: int
    name: str
    kind: str
    target: int | None


@dataclass(frozen=True, slots=True)
class UnitScope:
    unit: Unit
    children: tuple[ChildUnit, ...]
    bucket_of: dict[int, int]       # unit id below (or of) the report unit -> child id or own id
    target: int | None

    @property
    def children_are_residential(self) -> bool:
        return bool(self.children) and all(c.kind in RESIDENTIAL_KINDS for c in self.children)


def _child_id(unit_path: str, path: str, own_id: int) -> int:
    rest = path[len(unit_path):].strip("/")
    return int(rest.split("/")[0]) if rest else own_id


def _below(unit: Unit):
    """units.id at or below the unit, the path prefix written into the SQL text (checked
    digits and slashes, as analytics.queries does): the pattern index serves it."""
    if not _PATH.fullmatch(unit.path):
        raise ValueError(f"not a unit path: {unit.path!r}")
    return select(Unit.id).where(Unit.path.like(literal_column(f"'{unit.path}%'")))


def unit_scope(session: Session, round_: Round, unit: Unit) -> UnitScope:
    """At national scale the country has 36,000 units below it: their ids and paths are read
    (every bucket), the names and kinds of its children only, and the round's targets below
    it through a subquery (an IN list of 36,000 ids took seconds to send)."""
    rows = session.execute(select(Unit.id, Unit.path).where(Unit.id.in_(_below(unit)))).all()
    bucket_of = {row.id: _child_id(unit.path, row.path, unit.id) for row in rows}
    # A unit's own target (round_units.target) or else the round's target per unit.
    in_round = session.execute(select(
        round_units.c.unit_id, func.coalesce(round_units.c.target, round_.target_per_unit)
    ).where(
        round_units.c.round_id == round_.id, round_units.c.unit_id.in_(_below(unit))
    )).all()
    targets: Counter = Counter()
    for unit_id, unit_target in in_round:
        targets[bucket_of[unit_id]] += int(unit_target)
    in_bucket = Counter(bucket_of[unit_id] for unit_id, _ in in_round)

    def target(bucket_id: int) -> int | None:
        return targets[bucket_id] if in_bucket[bucket_id] else None

    child_rows = session.execute(select(Unit.id, Unit.name, Unit.kind)
                                 .where(Unit.parent_id == unit.id)).all()
    children = tuple(
        ChildUnit(row.id, row.name, row.kind, target(row.id))
        for row in sorted(child_rows, key=lambda r: (slugify(r.name), r.id)))
    total = sum(int(unit_target) for _, unit_target in in_round)
    return UnitScope(unit=unit, children=children, bucket_of=bucket_of,
                     target=total if in_round else None)
