"""Which rounds, and which units in a round, a user may see reports of.

A round's report units are its units and every unit above them (a commune, its province,
the country). At national scale a round has ~33,000 units: everything here reads plain rows
(id, name, kind, path) in a few queries and works on id sets, never comparing every unit
with every other."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, or_, select, union_all

from server.auth.access import can_see_unit, visible_unit_ids
from server.extensions import db
from server.people.models import User, user_units
from server.reporting.fingerprint import path_prefix_filter
from server.rounds.models import Round, round_units
from server.units.models import Unit
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
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

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


def _report_units_filter(round_id: int):
    """units.id is one of the round's units or above one: the units above are found a level
    at a time (the round's 33,000 groups have 3,300 distinct parents, those 34, then one),
    so the database filters, counts, orders and cuts the list without listing the groups."""
    members = select(round_units.c.unit_id).where(round_units.c.round_id == round_id)
    above: set[int] = set()
    level = set(db.session.scalars(select(Unit.parent_id).distinct().where(
        Unit.id.in_(members), Unit.parent_id.is_not(None))))
    while level - above:
        level -= above
        above |= level
        level = set(db.session.scalars(select(Unit.parent_id).distinct().where(
            Unit.id.in_(sorted(level)), Unit.parent_id.is_not(None))))
    if not above:
        return Unit.id.in_(members)
    return or_(Unit.id.in_(members), Unit.id.in_(sorted(above)))


def report_unit_page(round_: Round, user: User, kind: str | None, page: int,
                     per_page: int, name_filter=None) -> UnitPage:
    """One page of the round's report units the user sees, the top first, then each level
    by name (with a name filter: matches by name, filtered here)."""
    query = _visible(select(*_ROW_COLUMNS).where(_report_units_filter(round_.id)), user)
    if query is None:
        return UnitPage([], 0, set())
    per_kind = dict(db.session.execute(
        query.with_only_columns(Unit.kind, func.count()).group_by(Unit.kind)).all())
    if kind is not None:
        query = query.where(Unit.kind == kind)
    start = (page - 1) * per_page
    if name_filter is not None:
        rows = [UnitRow(*row) for row in db.session.execute(query) if name_filter(row.name)]
        rows.sort(key=lambda row: (natural_key(row.name), row.id))
        return UnitPage(rows[start:start + per_page], len(rows), set(per_kind))
    total = per_kind.get(kind, 0) if kind is not None else sum(per_kind.values())
    rows = db.session.execute(query.order_by(_DEPTH, Unit.name, Unit.id)
                              .limit(per_page).offset(start))
    return UnitPage([UnitRow(*row) for row in rows], int(total), set(per_kind))


def child_rows(round_: Round, unit: Unit) -> list[UnitRow]:
    """The unit's children that are report units of the round, in name order."""
    rows = db.session.execute(select(*_ROW_COLUMNS).where(
        Unit.parent_id == unit.id, Unit.id.in_(report_unit_ids(round_.id, under=unit.path)))
        .order_by(Unit.name, Unit.id))
    return [UnitRow(*row) for row in rows]


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
    if not candidates:
        return []
    checks = [select(literal(unit.id).label("id")).where(
        select(round_units.c.unit_id).join(Unit, Unit.id == round_units.c.unit_id)
        .where(round_units.c.round_id == round_.id, path_prefix_filter([unit.path]))
        .exists()) for unit in candidates]
    found = set(db.session.scalars(union_all(*checks))) if len(checks) > 1 else \
        set(db.session.scalars(checks[0]))
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
