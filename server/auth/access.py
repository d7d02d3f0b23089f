"""The one place that decides who may see what, from the role and the unit tree."""

from sqlalchemy import Select, or_, select

from server.extensions import db
from server.people.models import User, user_units
from server.units.models import Unit


def can_see_unit(user: User | None, unit: Unit) -> bool:
    """Admins see everything; others see their assigned units and everything below them."""
    if user is None or not user.is_active:
        return False
    if user.role == "admin":
        return True
    return any(unit.is_within(assigned) for assigned in user.units)


def can_collect_in(user: User | None, unit: Unit) -> bool:
    """Only volunteers collect, in units assigned to them or below them."""
    if user is None or not user.is_active or user.role != "volunteer":
        return False
    return any(unit.is_within(assigned) for assigned in user.units)


def visible_unit_ids(user: User) -> Select:
    """A select of the ids of every unit the user may see (one query, no N+1)."""
    if user.role == "admin":
        return select(Unit.id)
    assigned = select(Unit.path).join(user_units, user_units.c.unit_id == Unit.id).where(
        user_units.c.user_id == user.id
    )
    paths = list(db.session.scalars(assigned))
    if not paths:
        return select(Unit.id).where(Unit.id.is_(None))
    return select(Unit.id).where(or_(*[Unit.path.startswith(p, autoescape=True) for p in paths]))
