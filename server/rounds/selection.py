"""Choosing a round's units: a subtree root, the units in it that take part (the residential
groups by default; unchecking one excludes it), and each one's default target from its size."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from server.extensions import db
from server.rounds.services import RoundRuleError
from server.units.models import Unit
from server.units.services import slug_of_folded


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    depth: int          # 0 for the root
    child_count: int    # active child units

    @property
    def is_leaf(self) -> bool:
        return self.child_count == 0


def suggested_target(child_count: int, round_default: int) -> int:
    """A unit's default target from its size: a unit that takes part with its child units
    (a commune with its groups) needs the round's default for each of them; a residential
    group (no children; no household counts are kept) needs the round's default."""
    return round_default * child_count if child_count else round_default


def _active_tree(root: Unit) -> dict[int | None, list[Unit]]:
    units = db.session.scalars(select(Unit).where(
        Unit.path.startswith(root.path, autoescape=True), Unit.is_active)).all()
    children = defaultdict(list)
    for unit in units:
        children[unit.parent_id].append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda unit: (slug_of_folded(unit.name_folded), unit.id))
    return children


def subtree_rows(root: Unit) -> list[UnitRow]:
    """The root and every active unit below it, depth first, siblings by name."""
    if not root.is_active:
        return []
    children = _active_tree(root)
    rows = []

    def walk(unit: Unit, depth: int) -> None:
        rows.append(UnitRow(unit, depth, len(children.get(unit.id, ()))))
        for child in children.get(unit.id, ()):
            walk(child, depth + 1)

    walk(root, 0)
    return rows


def default_included(rows: list[UnitRow]) -> set[int]:
    """The units checked before the admin changes anything: the leaves."""
    return {row.unit.id for row in rows if row.is_leaf}


def chosen_units(rows: list[UnitRow], included_ids: set[int]) -> list[UnitRow]:
    """The rows the admin kept, checked: at least one, all in the subtree, and never a unit
    together with a unit inside it (its responses would count twice)."""
    by_id = {row.unit.id: row for row in rows}
    if not included_ids:
        raise RoundRuleError("no_units", "Hãy chọn ít nhất một đơn vị.",
                             "Choose at least one unit.")
    if not included_ids <= by_id.keys():
        raise RoundRuleError("unit_outside_root", "Đơn vị không nằm trong đơn vị gốc đã chọn.",
                             "A unit is not inside the chosen root unit.")
    chosen = [by_id[unit_id] for unit_id in included_ids]
    for row in chosen:
        if any(ancestor in included_ids for ancestor in row.unit.ancestor_ids):
            raise RoundRuleError("nested_units",
                                 f"“{row.unit.name}” nằm trong một đơn vị khác đã chọn.",
                                 f"“{row.unit.name}” lies inside another chosen unit.")
    order = {row.unit.id: position for position, row in enumerate(rows)}
    return sorted(chosen, key=lambda row: order[row.unit.id])


def root_choices() -> list[tuple[Unit, int]]:
    """Active units with active child units (where a round's subtree can start), in tree
    order, each with its depth."""
    parents = select(Unit.parent_id).where(Unit.is_active, Unit.parent_id.is_not(None))
    units = db.session.scalars(select(Unit).where(Unit.is_active, Unit.id.in_(parents))).all()
    # each unit's own part of the key, slugified once (not once per descendant) from its
    # stored folded name; each unit's ancestors read once, for its key and its depth
    part = {unit.id: (slug_of_folded(unit.name_folded), unit.id) for unit in units}
    above = {unit.id: unit.ancestor_ids for unit in units}
    key = {unit.id: [part[i] for i in above[unit.id] if i in part] + [part[unit.id]]
           for unit in units}
    return [(unit, len(above[unit.id])) for unit in sorted(units, key=lambda u: key[u.id])]
