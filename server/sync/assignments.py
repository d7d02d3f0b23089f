"""Where a volunteer may collect: which rounds, and in each only their own units.

A unit is collectible in a round by a volunteer when it is one of the round's units lying in
(or equal to) a unit assigned to the volunteer, or one of the volunteer's units lying inside a
unit of the round (a round run in a whole commune, a volunteer of one of its villages).
"""

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from server.db_types import utcnow
from server.extensions import db
from server.people.models import User
from server.rounds.models import Round, round_units
from server.rounds.services import targets_of
from server.sync.exclusion import counted
from server.sync.models import Response
from server.units.models import Unit


def assigned_units(user: User) -> list[Unit]:
    """The units a user collects in; none for anyone but an active volunteer."""
    if user is None or not user.is_active or user.role != "volunteer":
        return []
    return list(user.units)


def collectible_units(round_: Round, assigned: list[Unit]) -> list[Unit]:
    found = {unit.id: unit for unit in round_.units
             if any(unit.is_within(mine) for mine in assigned)}
    for mine in assigned:
        if mine.id not in found and any(mine.is_within(unit) for unit in round_.units):
            found[mine.id] = mine
    return sorted(found.values(), key=lambda unit: unit.path)


def _related_unit_ids(assigned: list[Unit]):
    """A select of the ids of every unit a round must include to concern these units:
    the assigned units, everything below them and everything above them."""
    above = {ancestor for unit in assigned for ancestor in unit.ancestor_ids}
    below = or_(*[Unit.path.startswith(unit.path, autoescape=True) for unit in assigned])
    return select(Unit.id).where(or_(below, Unit.id.in_(above)) if above else below)


def rounds_concerning(assigned: list[Unit], round_ids=None, *, current_only: bool,
                      now: datetime | None = None, with_parents: bool = False) -> list[Round]:
    """Rounds (not drafts) run in or around these units, with their units loaded (and the
    units' parents: with_parents); current_only: only those open now or opening later."""
    if not assigned:
        return []
    query = (select(Round)
             .where(Round.status != "draft",
                    Round.id.in_(select(round_units.c.round_id)
                                 .where(round_units.c.unit_id.in_(_related_unit_ids(assigned)))))
             .options(selectinload(Round.units).selectinload(Unit.parent) if with_parents
                      else selectinload(Round.units)))
    if round_ids is not None:
        query = query.where(Round.id.in_(round_ids))
    if current_only:
        query = query.where(Round.status != "closed", Round.closes_at > (now or utcnow()))
    return list(db.session.scalars(query.order_by(Round.opens_at, Round.id)))


def received_counts(round_ids: list[int]) -> dict[tuple[int, int], int]:
    """(round id, unit id) -> responses the server holds and counts, from every volunteer:
    the number the officials' progress screen shows for the unit itself."""
    if not round_ids:
        return {}
    rows = db.session.execute(
        select(Response.round_id, Response.unit_id, func.count())
        .where(Response.round_id.in_(round_ids), counted())
        .group_by(Response.round_id, Response.unit_id))
    return {(round_id, unit_id): count for round_id, unit_id, count in rows}


def _unit_entry(unit: Unit, target: int, received: int) -> dict:
    return {"id": unit.id, "name": unit.name, "kind": unit.kind,
            "parent_name": unit.parent.name if unit.parent else None, "target": target,
            "received": received}


def assignments_for(user: User, now: datetime | None = None) -> list[dict]:
    """The open and upcoming rounds the user may collect in, each with only their units."""
    now = now or utcnow()
    assigned = assigned_units(user)
    found = []
    rounds = rounds_concerning(assigned, current_only=True, now=now, with_parents=True)
    # One count for all rounds; the counts are in the answer, so its ETag follows them.
    received = received_counts([round_.id for round_ in rounds])
    for round_ in rounds:
        units = collectible_units(round_, assigned)
        if units:
            own_targets = targets_of(round_.id)
            found.append({"id": round_.id, "title": round_.title,
                          "form_version_id": round_.form_version_id,
                          "opens_at": round_.opens_at, "closes_at": round_.closes_at,
                          "status": round_.effective_status(now),
                          "units": [_unit_entry(unit, own_targets.get(unit.id)
                                                or round_.target_per_unit,
                                                received.get((round_.id, unit.id), 0))
                                    for unit in units],
                          "target_per_unit": round_.target_per_unit})
    return found
