"""Which rounds, and which units in a round, a user may see reports of."""

from sqlalchemy import select

from server.auth.access import can_see_unit, visible_unit_ids
from server.extensions import db
from server.people.models import User
from server.rounds.models import Round, round_units
from server.units.models import Unit


def visible_rounds(user: User) -> list[Round]:
    """Rounds run in at least one unit the user sees; drafts only for admins."""
    query = select(Round).where(Round.id.in_(
        select(round_units.c.round_id).where(round_units.c.unit_id.in_(visible_unit_ids(user)))))
    if user.role != "admin":
        query = query.where(Round.status != "draft")
    return list(db.session.scalars(query.order_by(Round.opens_at.desc(), Round.id.desc())))


def _report_unit_ids(round_: Round) -> set[int]:
    ids = set()
    for unit in round_.units:
        ids.add(unit.id)
        ids.update(unit.ancestor_ids)
    return ids


def round_report_units(round_: Round, user: User | None = None) -> list[Unit]:
    """The units of a round a report can be made for: the round's units and every unit
    above them (a commune, its province); with a user, only those the user sees."""
    ids = _report_unit_ids(round_)
    if not ids:
        return []
    query = select(Unit).where(Unit.id.in_(ids))
    if user is not None:
        query = query.where(Unit.id.in_(visible_unit_ids(user)))
    return list(db.session.scalars(query.order_by(Unit.path)))


def top_units(units: list[Unit]) -> list[Unit]:
    """The units not below another one in the list (an official's commune, an admin's
    province)."""
    return [unit for unit in units
            if not any(other.id != unit.id and unit.is_within(other) for other in units)]


def unit_in_round(round_: Round, unit: Unit) -> bool:
    return any(member.is_within(unit) or unit.is_within(member) for member in round_.units)


def may_see_report(user: User, unit: Unit) -> bool:
    return user.role in ("admin", "official") and can_see_unit(user, unit)
