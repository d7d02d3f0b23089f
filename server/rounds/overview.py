"""What the Rounds pages show: each round with its counts (round_lines), and the shape of a
round unit's line (UnitLine, filled a page at a time by server/rounds/unit_page.py).
Read-only queries, a fixed number per page."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from server.analytics.queries import COUNTED_STATUSES
from server.extensions import db
from server.forms.models import FormVersion
from server.rounds.models import Round, round_units
from server.rounds.services import effective_target
from server.sync.models import Response
from server.units.models import Unit


@dataclass(frozen=True)
class RoundLine:
    round: Round
    status: str
    units: int
    target: int
    responses: int
    late: int


@dataclass(frozen=True)
class UnitLine:
    unit: Unit
    parent_name: str | None
    own_target: int | None
    target: int
    responses: int


def _counted():
    """Responses that count: accepted or flagged, not excluded by an admin."""
    return Response.status.in_(COUNTED_STATUSES) & Response.excluded_at.is_(None)


def round_lines(now: datetime) -> list[RoundLine]:
    rounds = db.session.scalars(
        select(Round).options(selectinload(Round.form_version).selectinload(FormVersion.form))
        .order_by(Round.opens_at.desc(), Round.id.desc())).all()
    units = {round_id: (count, target) for round_id, count, target in db.session.execute(
        select(round_units.c.round_id, func.count(), func.sum(effective_target()))
        .join(Round, Round.id == round_units.c.round_id).group_by(round_units.c.round_id))}
    answers = {round_id: (count, late) for round_id, count, late in db.session.execute(
        select(Response.round_id, func.count(), func.sum(case((Response.is_late, 1), else_=0)))
        .where(_counted()).group_by(Response.round_id))}
    return [RoundLine(round_, round_.effective_status(now), *map(int, units.get(round_.id, (0, 0))),
                      *(int(value or 0) for value in answers.get(round_.id, (0, 0))))
            for round_ in rounds]
