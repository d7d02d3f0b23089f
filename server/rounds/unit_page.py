"""The round page's units (/admin/rounds/<id>): the round's totals over all its units, and one
page of its units (50, searched by name) with their targets and responses. A national round
has 33,000 units: the database counts, sums and cuts the list, in a fixed number of queries,
and only the page's units are loaded."""

from dataclasses import dataclass

from sqlalchemy import exists, func, select

from server.admin.unit_lists import PER_PAGE, ListPage, unit_name_holds
from server.extensions import db
from server.rounds.models import Round, round_units
from server.rounds.overview import UnitLine
from server.sync.exclusion import counted
from server.sync.models import Response
from server.units.models import Unit


@dataclass(frozen=True, slots=True)
class RoundTotals:
    units: int
    target: int
    responses: int


def _members(round_id: int):
    return select(round_units.c.unit_id).where(round_units.c.round_id == round_id)


def _covered(round_id: int, roots):
    """(root, unit) for every unit at or below each root (a select of round unit ids), down
    to, not into, another round unit: a response is credited to its nearest round unit."""
    start = select(Unit.id.label("root"), Unit.id.label("unit_id")).where(Unit.id.in_(roots))
    tree = start.cte("covered", recursive=True)
    child = Unit.__table__.alias("child")
    return tree.union_all(
        select(tree.c.root, child.c.id).join(child, child.c.parent_id == tree.c.unit_id)
        .where(child.c.id.not_in(_members(round_id))))


def _credited(round_id: int, roots):
    """The counted responses of the round per root (round unit) they lie under. Round units
    without units below them (a national round's residential groups) are counted directly:
    the database's guess at a walk down the tree is far too big and makes it plan badly."""
    if db.session.scalar(select(exists().where(Unit.parent_id.in_(roots)))):
        covered = _covered(round_id, roots)
        root, unit_id = covered.c.root, covered.c.unit_id
        query = select(root, func.count()).join(Response, Response.unit_id == unit_id)
    else:
        root = Response.unit_id
        query = select(root, func.count()).where(root.in_(roots))
    return query.where(Response.round_id == round_id, counted()).group_by(root)


def round_totals(round_: Round) -> RoundTotals:
    """The number of round units, their targets summed and the responses credited to them."""
    units, target = db.session.execute(
        select(func.count(), func.coalesce(func.sum(func.coalesce(
            round_units.c.target, round_.target_per_unit)), 0))
        .where(round_units.c.round_id == round_.id)).one()
    credited = _credited(round_.id, _members(round_.id)).subquery()
    responses = db.session.scalar(select(func.coalesce(func.sum(credited.c[1]), 0)))
    return RoundTotals(int(units), int(target), int(responses))


def round_unit_page(round_: Round, number: int, query: str, total: int) -> ListPage:
    """The page `number` (the last one if beyond it) of the round's units in tree order, or of
    those whose name holds the query (accents and case ignored); `total` is the round's
    number of units (counted again only under a search). Items are UnitLines."""
    condition = round_units.c.round_id == round_.id
    if query:
        condition &= unit_name_holds(query)
        total = db.session.scalar(select(func.count()).select_from(round_units)
                                  .join(Unit, Unit.id == round_units.c.unit_id).where(condition))
    number = min(number, max(1, -(-total // PER_PAGE)))
    parent = Unit.__table__.alias("parent")
    rows = db.session.execute(
        select(Unit, parent.c.name, round_units.c.target)
        .join(round_units, round_units.c.unit_id == Unit.id)
        .outerjoin(parent, parent.c.id == Unit.parent_id)
        .where(condition).order_by(Unit.path, Unit.id)
        .limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
    ids = [unit.id for unit, _, _ in rows]
    counts = dict(db.session.execute(_credited(round_.id, ids)).all()) if ids else {}
    lines = [UnitLine(unit, parent_name, own, own if own is not None else round_.target_per_unit,
                      int(counts.get(unit.id, 0)))
             for unit, parent_name, own in rows]
    return ListPage(lines, int(total), number, query)


def round_unit_names(round_id: int, unit_ids: set[int]) -> dict[int, str]:
    """The names of those of the units that are the round's (a targets form sends a page's)."""
    if not unit_ids:
        return {}
    return dict(db.session.execute(
        select(Unit.id, Unit.name).join(round_units, round_units.c.unit_id == Unit.id)
        .where(round_units.c.round_id == round_id, Unit.id.in_(sorted(unit_ids)))).all())
