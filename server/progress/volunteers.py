"""The volunteers' table of the progress page: who collected below the scope, and who is
assigned there and has not yet."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.people.models import User, user_units
from server.progress.counting import RoundCounts
from server.progress.rows import Counts, VolunteerRow
from server.progress.scope import RoundUnits
from server.reporting.fingerprint import path_prefix_filter
from server.units.models import Unit


def volunteer_rows(counts: RoundCounts, roots: list[str], units: RoundUnits
                   ) -> list[VolunteerRow]:
    """Every volunteer with responses or refusals below the roots, and every active volunteer
    assigned there (in a unit of the round) who has none yet."""
    assigned_here = (select(user_units.c.user_id).join(Unit, Unit.id == user_units.c.unit_id)
                     .where(path_prefix_filter(roots)))
    columns = (User.id, User.display_name, User.username, User.is_active, User.last_sync_at,
               User.last_app_version, User.last_queued_count)
    found = {user.id: user for user in db.session.execute(select(*columns).where(
        User.role == "volunteer", User.is_active.is_(True), User.id.in_(assigned_here)))}
    # an assigned volunteer without responses is listed if assigned near a round unit: read
    # only when there is one (none once everyone has collected, as at national scale)
    related: set[int] = set()
    if any(user_id not in counts.volunteers for user_id in found):
        related = {user_id for user_id, path in db.session.execute(
            select(user_units.c.user_id, Unit.path).join(Unit, Unit.id == user_units.c.unit_id)
            .where(path_prefix_filter(roots))) if units.related(path)}
    # who collected here without being assigned here (any more): usually nobody
    others = set(counts.volunteers) - set(found)
    if others:
        found.update((user.id, user) for user in db.session.execute(
            select(*columns).where(User.id.in_(others))))
    rows = []
    # unpacked, not read by name: 3,321 volunteers at national scale
    for user_id, name, username, is_active, last_sync_at, app_version, queued in (
            found.values()):
        if user_id not in counts.volunteers and user_id not in related:
            continue
        own, last = counts.volunteers.get(user_id, (Counts(), None))
        rows.append(VolunteerRow(user_id, name, username, is_active, last_sync_at, app_version,
                                 queued, own, last))
    return rows


def attach_units(rows: list[VolunteerRow]) -> None:
    """The names of each listed volunteer's assigned units (one query for the page)."""
    if not rows:
        return
    by_id = {row.id: row for row in rows}
    for user_id, name in db.session.execute(
            select(user_units.c.user_id, Unit.name).join(Unit, Unit.id == user_units.c.unit_id)
            .where(user_units.c.user_id.in_(by_id)).order_by(Unit.path)):
        by_id[user_id].units.append(name)
