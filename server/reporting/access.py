"""Which rounds, and which units in a round, a user may see reports of.

A round's report units are its units and every unit above them (a commune, its province,
the country). At national scale a round has ~33,000 units: everything here reads plain rows
(id, name, kind, path) in a few queries and works on id sets, never comparing every unit
with every other."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import false, func, literal, literal_column, or_, select, union_all
from sqlalchemy.orm import aliased

from server.auth.access import can_see_unit, visible_unit_ids
from server.extensions import db
from server.people.models import User, user_units
from server.reporting.fingerprint import path_prefix_filter
from server.rounds.models import Round, round_units
from server.units.models import Unit, matchable, path_ids
from server.units.tree import natural_key

_CHUNK = 900   # ids per IN list (SQLite's limit on bound parameters is far above)


@dataclass(frozen=True, slots=True)
class UnitRow:
    """A unit as the report pages list it (no ORM object per unit)."""

    id: int
    name: str
    kind: str
    path: str
    parent_id: int | None

    @property
    def ancestor_ids(self) -> list[int]:
        return list(path_ids(self.path)[:-1])

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


def visible_rounds_query(user: User):
    """Rounds run in at least one unit the user sees; drafts only for admins; newest first."""
    query = select(Round).where(Round.id.in_(
        select(round_units.c.round_id).where(round_units.c.unit_id.in_(visible_unit_ids(user)))))
    if user.role != "admin":
        query = query.where(Round.status != "draft")
    return query.order_by(Round.opens_at.desc(), Round.id.desc())


def visible_rounds(user: User) -> list[Round]:
    return list(db.session.scalars(visible_rounds_query(user)))


def visible_rounds_page(user: User, page: int, per_page: int) -> tuple[list[Round], int]:
    """One page of the visible rounds, and how many there are in all."""
    query = visible_rounds_query(user)
    total = db.session.scalar(select(func.count()).select_from(
        query.order_by(None).with_only_columns(Round.id).subquery()))
    rounds = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return list(rounds), int(total or 0)


def assigned_paths(user: User) -> list[str] | None:
    """The paths under which the user sees units; None: everywhere (an admin)."""
    if user.role == "admin":
        return None
    return list(db.session.scalars(select(Unit.path).join(
        user_units, user_units.c.unit_id == Unit.id).where(user_units.c.user_id == user.id)))


def report_unit_ids(round_id: int, under: str | None = None):
    """A select of the ids of the round's units and of every unit above them (only those
    at or below the path `under` when given): the database climbs the tree one level a
    step (33,000 residential groups, then 3,300 communes, 34 provinces, the country)."""
    seeds = select(round_units.c.unit_id.label("id")).where(round_units.c.round_id == round_id)
    if under is not None:
        seeds = seeds.where(round_units.c.unit_id.in_(
            select(Unit.id).where(path_prefix_filter([under]))))
    climbing = seeds.cte("report_units", recursive=True)
    climbing = climbing.union(
        select(Unit.parent_id).join(climbing, Unit.id == climbing.c.id)
        .where(Unit.parent_id.is_not(None)))
    ids = select(climbing.c.id)
    if under is not None:
        ids = ids.where(climbing.c.id.in_(select(Unit.id).where(path_prefix_filter([under]))))
    return ids


_ROW_COLUMNS = (Unit.id, Unit.name, Unit.kind, Unit.path, Unit.parent_id)


def _visible(query, user: User | None):
    """The query limited to the units the user sees; None when they see none."""
    paths = assigned_paths(user) if user is not None else None
    if paths is None:
        return query
    if not paths:
        return None
    return query.where(path_prefix_filter(paths))


def report_unit_rows(round_: Round, user: User | None = None,
                     kind: str | None = None) -> list[UnitRow]:
    """The round's report units the user sees (of one kind if given), in tree order."""
    query = _visible(select(*_ROW_COLUMNS).where(Unit.id.in_(report_unit_ids(round_.id))),
                     user)
    if query is None:
        return []
    if kind is not None:
        query = query.where(Unit.kind == kind)
    return [UnitRow(*row) for row in db.session.execute(query.order_by(Unit.path))]


@dataclass(frozen=True)
class UnitPage:
    rows: list[UnitRow]
    total: int
    kinds: set[str]        # the kinds of unit in the whole list (for the level filter)


_DEPTH = func.length(Unit.path) - func.length(func.replace(Unit.path, "/", ""))


def _member_levels(round_id: int, user: User) -> tuple[dict, set[int]] | None:
    """One pass over the round's units the user sees: how many at each (depth, kind), and
    the ids on their parents' paths (every unit above them: the 33,000 groups of a national
    round have 3,300 parents). None when the user sees no unit."""
    parent = aliased(Unit)
    query = _visible(select(parent.path.label("above"), _DEPTH.label("depth"),
                            Unit.kind.label("kind"))
                     .select_from(round_units).join(Unit, Unit.id == round_units.c.unit_id)
                     .outerjoin(parent, parent.id == Unit.parent_id)
                     .where(round_units.c.round_id == round_id), user)
    if query is None:
        return None
    listed = query.subquery()
    levels: dict[tuple[int, str], int] = {}
    above: set[int] = set()
    for path, depth, kind, count in db.session.execute(
            select(listed.c.above, listed.c.depth, listed.c.kind, func.count())
            .group_by(listed.c.above, listed.c.depth, listed.c.kind)):
        levels[(int(depth), kind)] = levels.get((int(depth), kind), 0) + int(count)
        if path:
            above.update(path_ids(path))
    return levels, above


def _in_ids(column, ids: list[int]):
    """column IN the ids, written into the SQL text as numbers: 3,400 bound parameters cost
    more to compile and send than the query takes to run (psycopg splits the text at each)."""
    if not ids:
        return false()
    return column.op("IN")(literal_column("(" + ",".join(str(int(i)) for i in ids) + ")"))


def _above_levels(round_id: int, user: User, above: set[int]) -> tuple[list[int], dict]:
    """The units above that are not round units themselves (a round unit with round units
    below it is listed once, as a round unit) and that the user sees, and how many at each
    (depth, kind)."""
    if above:
        above -= set(db.session.scalars(select(round_units.c.unit_id).where(
            round_units.c.round_id == round_id, _in_ids(round_units.c.unit_id, sorted(above)))))
    if not above:
        return [], {}
    listed = _visible(select(_DEPTH.label("depth"), Unit.kind.label("kind"))
                      .where(_in_ids(Unit.id, sorted(above))), user).subquery()
    rows = db.session.execute(select(listed.c.depth, listed.c.kind, func.count())
                              .group_by(listed.c.depth, listed.c.kind))
    return sorted(above), {(int(depth), kind): int(count) for depth, kind, count in rows}


def _branches(round_id: int, user: User, above: list[int]) -> list:
    """The two selects whose rows, together, are the report units the user sees, each once:
    the round's units (an indexed join) and the few units above them (by id); never one OR
    over 36,000 rows."""
    members = select(*_ROW_COLUMNS).join(round_units, round_units.c.unit_id == Unit.id) \
        .where(round_units.c.round_id == round_id)
    return [_visible(members, user),
            _visible(select(*_ROW_COLUMNS).where(_in_ids(Unit.id, above)), user)]


def _rows_at_depth(parts: list, depth: int, skip: int, take: int) -> list[UnitRow]:
    """Rows of one level of the tree in name order, from the branches that have rows there:
    at the levels above the round's units only the few units above are read and sorted,
    never the 33,000 residential groups."""
    parts = [part.where(_DEPTH == depth) for part in parts]
    listed = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    rows = db.session.execute(select(listed).order_by(listed.c.name, listed.c.id)
                              .limit(take).offset(skip))
    return [UnitRow(*row) for row in rows]


def report_unit_page(round_: Round, user: User, kind: str | None, page: int,
                     per_page: int, name_contains: str | None = None) -> UnitPage:
    """One page of the round's report units the user sees, the top first, then each level
    by name; with `name_contains` (a folded text), those whose folded name holds it, in the
    natural order of their names. A few queries whatever the number of units: the counts per
    level, then only the levels the page falls on."""
    if name_contains is not None and not matchable(name_contains):
        return UnitPage([], 0, set())
    members = _member_levels(round_.id, user)
    if members is None:
        return UnitPage([], 0, set())
    member_counts, above_ids = members
    above, above_counts = _above_levels(round_.id, user, above_ids)
    branches = _branches(round_.id, user, above)
    counts = {(0, *key): count for key, count in member_counts.items()}
    counts.update({(1, *key): count for key, count in above_counts.items()})
    kinds = {level_kind for _, _, level_kind in counts}
    if kind is not None:
        branches = [branch.where(Unit.kind == kind) for branch in branches]
        counts = {key: count for key, count in counts.items() if key[2] == kind}
    start = (page - 1) * per_page
    if name_contains is not None:
        matching = Unit.name_folded.contains(name_contains, autoescape=True)
        rows = [UnitRow(*row) for index, branch in enumerate(branches)
                if any(key[0] == index for key in counts)
                for row in db.session.execute(branch.where(matching))]
        rows.sort(key=lambda row: (natural_key(row.name), row.id))
        return UnitPage(rows[start:start + per_page], len(rows), kinds)
    per_depth: dict[int, dict[int, int]] = {}      # depth -> branch -> units
    for (branch, depth, _), count in counts.items():
        at_depth = per_depth.setdefault(depth, {})
        at_depth[branch] = at_depth.get(branch, 0) + count
    rows, passed = [], 0
    for depth in sorted(per_depth):
        size = sum(per_depth[depth].values())
        if passed + size > start and len(rows) < per_page:
            parts = [branches[index] for index in sorted(per_depth[depth])]
            rows += _rows_at_depth(parts, depth, max(0, start - passed), per_page - len(rows))
        passed += size
    return UnitPage(rows, passed, kinds)


def child_rows(round_: Round, unit: Unit) -> list[UnitRow]:
    """The unit's children that are report units of the round (a round unit at or below
    them), in name order: one EXISTS on the path index per child, never the whole subtree
    climbed (the country's 33,000 groups)."""
    children = [UnitRow(*row) for row in db.session.execute(
        select(*_ROW_COLUMNS).where(Unit.parent_id == unit.id).order_by(Unit.name, Unit.id))]
    found = _with_round_units(round_, children)
    return [child for child in children if child.id in found]


def round_report_units(round_: Round, user: User | None = None) -> list[Unit]:
    """The units of a round a report can be made for: the round's units and every unit
    above them (a commune, its province); with a user, only those the user sees."""
    ids = [row.id for row in report_unit_rows(round_, user)]
    units: list[Unit] = []
    for start in range(0, len(ids), _CHUNK):
        units += db.session.scalars(select(Unit).where(Unit.id.in_(ids[start:start + _CHUNK])))
    units.sort(key=lambda unit: unit.path)
    return units


def top_units(units: list) -> list:
    """The units not below another one in the list (an official's commune, an admin's
    province or country), in the list's order: one pass over an id set."""
    ids = {unit.id for unit in units}
    return [unit for unit in units if not any(a in ids for a in unit.ancestor_ids)]


def round_units_under(round_: Round, unit):
    """SELECT the round's units at or below the unit (a range of the path index)."""
    return (select(round_units.c.unit_id).join(Unit, Unit.id == round_units.c.unit_id)
            .where(round_units.c.round_id == round_.id, path_prefix_filter([unit.path])))


def _with_round_units(round_: Round, units: list) -> set[int]:
    """The ids of the units with a round unit at or below them: one EXISTS each, in a
    single query."""
    if not units:
        return set()
    checks = [select(literal(unit.id).label("id")).where(round_units_under(round_, unit).exists())
              for unit in units]
    return set(db.session.scalars(union_all(*checks) if len(checks) > 1 else checks[0]))


def top_report_units(round_: Round, user: User) -> list[Unit]:
    """The user's top report units of the round (the country or the provinces for an admin,
    the assigned commune for its official), without listing the round's units: the
    candidates (the tree's roots, or the user's assigned units) that have a round unit at or
    below them, one EXISTS each in a single query."""
    if user.role == "admin":
        candidates = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None))))
    else:
        candidates = top_units(list(db.session.scalars(select(Unit).join(
            user_units, user_units.c.unit_id == Unit.id).where(user_units.c.user_id == user.id))))
    found = _with_round_units(round_, candidates)
    tops = [unit for unit in candidates if unit.id in found]
    tops.sort(key=lambda unit: (unit.name, unit.id))
    return tops


def unit_in_round(round_: Round, unit: Unit) -> bool:
    """The unit is one of the round's, above one of them or below one of them."""
    above_or_at = [*unit.ancestor_ids, unit.id]
    hit = db.session.scalar(
        select(round_units.c.unit_id).join(Unit, Unit.id == round_units.c.unit_id)
        .where(round_units.c.round_id == round_.id,
               or_(path_prefix_filter([unit.path]), round_units.c.unit_id.in_(above_or_at)))
        .limit(1))
    return hit is not None


def may_see_report(user: User, unit: Unit) -> bool:
    return user.role in ("admin", "official") and can_see_unit(user, unit)
