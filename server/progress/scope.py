"""Which rounds a user follows, the round's units (with their targets) and the user's top
units in it: all worked out from the units' materialised paths, never one query per unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from server.db_types import utcnow
from server.extensions import db
from server.people.models import User, user_units
from server.reporting.access import visible_rounds
from server.reporting.fingerprint import path_prefix_filter
from server.rounds.models import Round, round_units
from server.units.models import Unit, path_ids


def progress_rounds(user: User) -> list[Round]:
    """The rounds the user may follow (the reports' rule), newest first."""
    return visible_rounds(user)


def default_round(rounds: list[Round], now: datetime | None = None) -> Round | None:
    """The first open round, else the newest."""
    now = now or utcnow()
    return next((r for r in rounds if r.effective_status(now) == "open"), rounds[0] if rounds else None)




class RoundUnits:
    """The round's own units (id -> (path, target)) and every unit above them."""

    def __init__(self, by_id: dict[int, tuple[str, int]]):
        self.by_id = by_id
        self._holding: set[int] | None = None

    @property
    def holding(self) -> set[int]:
        """Every round unit and every unit above one: worked out once, when first asked
        (not every page does), from the round units' parents rather than their every
        ancestor."""
        if self._holding is None:
            holding = set(self.by_id)
            # the round units' parents are far fewer than they are (a commune's groups)
            parents = {path[:path.rindex("/", 0, -1) + 1] for path, _ in self.by_id.values()}
            for parent in parents:
                holding.update(path_ids(parent))
            self._holding = holding
        return self._holding

    def related(self, path: str) -> bool:
        """The unit holds a round unit or lies inside one."""
        ids = path_ids(path)
        return bool(ids) and (ids[-1] in self.holding or any(i in self.by_id for i in ids))

    def inside(self, roots: list[str]) -> list[tuple[int, str, int]]:
        prefixes = tuple(roots)
        return [(unit_id, path, target) for unit_id, (path, target) in self.by_id.items()
                if path.startswith(prefixes)]


def round_units_of(round_: Round, scope: Unit | None = None) -> RoundUnits:
    """The round's units with their targets: every one, or (below a scope) those at or
    below it and those above it, which is all the page's rules look at there (a commune's
    page reads its 10 groups, not the country's 33,000)."""
    query = (select(Unit.id, Unit.path,
                    func.coalesce(round_units.c.target, round_.target_per_unit))
             .join(round_units, round_units.c.unit_id == Unit.id)
             .where(round_units.c.round_id == round_.id))
    if scope is not None:
        query = query.where(or_(path_prefix_filter([scope.path]), Unit.id.in_(path_ids(scope.path))))
    rows = db.session.execute(query).all()
    return RoundUnits({unit_id: (path, int(target)) for unit_id, path, target in rows})


def top_scope_units(round_: Round, user: User, units: RoundUnits) -> list[Unit]:
    """The highest units of the round the user sees (the reports' rule): an admin's province,
    an official's commune. Worked out from the round units' paths: no list of every unit."""
    if user.role == "admin":
        ids = {path_ids(path)[0] for path, _ in units.by_id.values()}
    else:
        assigned = [(unit_id, path) for unit_id, path in db.session.execute(
            select(Unit.id, Unit.path).join(user_units, user_units.c.unit_id == Unit.id)
            .where(user_units.c.user_id == user.id)) if unit_id in units.holding]
        ids = {unit_id for unit_id, path in assigned
               if not any(other != path and path.startswith(other) for _, other in assigned)}
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.path)))
