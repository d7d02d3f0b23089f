"""A round's counts below some units, by the database: per unit, per volunteer and per local
day, from the responses and from the uploads refused at sync.

One statement (a UNION ALL) reads the round's responses twice, both times from the index
that holds every column it needs (ix_responses_round_progress: round, unit, volunteer,
times, status, late, excluded), so no response row is fetched from the table and a
province's units are looked up in it one by one: once grouped per (unit, volunteer) in the
index's order, then summed per unit and per volunteer; once grouped per local day.
Grouping per (unit, volunteer, day) in one pass made 285,000 groups at national scale.

Rejected counts are the stored responses rejected on review plus the uploads refused at sync
(from the audit log: distinct UUIDs never stored since).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Integer,
    and_,
    cast,
    distinct,
    exists,
    func,
    literal,
    null,
    select,
    text,
    union_all,
)

from server.analytics.aggregates import aggregates_current
from server.analytics.models import RoundUnitAggregate
from server.audit.models import AuditEntry
from server.db_types import UTCDateTime
from server.extensions import db
from server.progress.days import day_key
from server.progress.rows import Counts
from server.progress.scope import in_roots
from server.rounds.models import Round
from server.sync.exclusion import counted
from server.sync.models import Response
from server.units.models import Unit

UPLOAD_REJECTED = "submission.rejected"
_NUMBERS = ("responses", "late", "rejected", "excluded")


@dataclass(slots=True)
class RoundCounts:
    """The round's counts below the roots, as the database grouped them."""
    units: dict[int, tuple[str, Counts]]                      # unit id -> (path, counts)
    volunteers: dict[int, tuple[Counts, datetime | None]]     # id -> (counts, last received)
    days: list[tuple[date, int]]                              # local day -> counted


def _counts():
    """The four numbers of a group of responses (FILTER: no CASE per response)."""
    is_counted = counted()
    return [func.count().filter(is_counted),
            func.count().filter(and_(is_counted, Response.is_late.is_(True))),
            func.count().filter(Response.status == "rejected"),
            func.count().filter(Response.excluded_at.is_not(None))]


def _per_unit_and_volunteer(below):
    """The responses' numbers per (unit, volunteer): one read of the round's index in its
    own order (round, unit, volunteer), so grouped as it is read, without sorting or
    hashing; the units' and the volunteers' numbers are then summed from these groups
    (33,000 at national scale), not from the 664,200 responses again."""
    return (select(Response.unit_id.label("unit_id"),
                   Response.volunteer_id.label("volunteer_id"),
                   *[number.label(name)
                     for name, number in zip(_NUMBERS, _counts(), strict=True)],
                   func.max(Response.received_at).label("received_at"))
            .where(below).group_by(Response.unit_id, Response.volunteer_id)
            .cte("pairs").prefix_with("MATERIALIZED"))


def _responses_below(round_id: int, roots: list[str]):
    if _whole_tree(roots):
        # the country's page: a filter on every unit would cost a join per grouping
        return Response.round_id == round_id
    return and_(Response.round_id == round_id,
                Response.unit_id.in_(select(Unit.id).where(in_roots(roots))))


def _whole_tree(roots: list[str]) -> bool:
    """Every unit lies below the roots: each unit without a parent is one of them."""
    tops = [root for root in roots if root.count("/") == 2]     # "/7/"
    return bool(tops) and not db.session.scalar(select(func.count()).select_from(Unit).where(
        Unit.parent_id.is_(None), Unit.path.not_in(tops)))


def _refused_uploads(round_id: int, roots: list[str]):
    """Distinct UUIDs refused at upload for this round and never stored since, per (unit,
    volunteer), from the audit log."""
    audit_unit = AuditEntry.details["unit_id"].as_integer()
    audit_round = AuditEntry.details["round_id"].as_integer()
    never_stored = ~exists().where(Response.uuid == AuditEntry.object_id)
    return (select(audit_unit.label("unit_id"), AuditEntry.actor_id.label("volunteer_id"),
                   func.count(distinct(AuditEntry.object_id)).label("rejected"))
            .where(AuditEntry.action == UPLOAD_REJECTED, audit_round == round_id,
                   audit_unit.in_(select(Unit.id).where(in_roots(roots))), never_stored)
            .group_by(audit_unit, AuditEntry.actor_id)
            .cte("refused"))


def _count_statement(round_id: int, roots: list[str], with_units: bool):
    below = _responses_below(round_id, roots)
    day = day_key(Response.completed_at)
    pairs = _per_unit_and_volunteer(below)
    zero = literal(0)
    # typed NULLs: PostgreSQL matches the UNION's column types, and the first SELECT's types
    # decide how each column is read back (a day, a UTC time)
    no_key, no_time = cast(null(), Integer), cast(null(), UTCDateTime())
    refused = _refused_uploads(round_id, roots)

    def sums():
        return [func.sum(pairs.c[name]) for name in _NUMBERS]

    parts = [
        select(literal("volunteer").label("kind"), pairs.c.volunteer_id.label("key"),
               day.empty.label("day"), *sums(), func.max(pairs.c.received_at)
               .label("received_at")).group_by(pairs.c.volunteer_id),
        # the days: a second read of the index (30 groups)
        select(literal("day"), no_key, day.column, func.count().filter(counted()), zero, zero,
               zero, no_time).where(below).group_by(day.column),
        select(literal("unit"), refused.c.unit_id, day.empty, zero, zero,
               func.sum(refused.c.rejected), zero, no_time).group_by(refused.c.unit_id),
        select(literal("volunteer"), refused.c.volunteer_id, day.empty, zero, zero,
               func.sum(refused.c.rejected), zero, no_time).group_by(refused.c.volunteer_id),
    ]
    if with_units:
        parts.append(select(literal("unit"), pairs.c.unit_id, day.empty, *sums(), no_time)
                     .group_by(pairs.c.unit_id))
    return union_all(*parts), day


def round_counts(round_id: int, roots: list[str],
                 stored_units: dict[int, Counts] | None = None,
                 round_paths: dict[int, tuple[str, int]] | None = None) -> RoundCounts:
    """Per unit, per volunteer and per day, in one statement. The units' counts come from a
    closed round's stored aggregates when given (`stored_units`: own counts per unit id),
    else from the same statement; either way grouped by unit id alone, the paths looked up
    afterwards (joining 33,000 groups to the units and sorting them by path spilled to
    disk at national scale): from `round_paths` (the round units' paths and targets) and, for
    any other unit, from the database."""
    statement, day = _count_statement(round_id, roots, stored_units is None)
    _planner_settings()
    result = RoundCounts({}, {}, [])
    unit_counts: dict[int, Counts] = {
        unit_id: Counts(counts.responses, counts.late, counts.rejected, counts.excluded)
        for unit_id, counts in (stored_units or {}).items()}
    for kind, key, day_value, responses, late, rejected, excluded, received_at in (
            db.session.execute(statement).all()):
        counts = Counts(int(responses or 0), int(late or 0), int(rejected or 0), int(excluded or 0))
        if kind == "unit":
            if (known_unit := unit_counts.get(key)) is None:
                unit_counts[key] = counts
            else:
                known_unit.add(counts)
        elif kind == "volunteer":
            known, last = result.volunteers.get(key, (Counts(), None))
            known.add(counts)
            result.volunteers[key] = (known, max(filter(None, (last, received_at)), default=None))
        elif day_value is not None and responses:
            result.days.append((day.to_date(day_value), int(responses)))
    round_paths = round_paths or {}
    paths = {unit_id: round_paths[unit_id][0] for unit_id in unit_counts
             if unit_id in round_paths}
    paths.update(_unit_paths([unit_id for unit_id in unit_counts if unit_id not in paths]))
    prefixes = tuple(roots)
    result.units = {unit_id: (paths[unit_id], counts) for unit_id, counts in unit_counts.items()
                    if unit_id in paths and paths[unit_id].startswith(prefixes)}
    result.days.sort()
    return result


def _unit_paths(ids: list[int]) -> dict[int, str]:
    ids = sorted(ids)
    if len(ids) > 4 * 900:   # most of the tree: one read of every path
        return dict(db.session.execute(select(Unit.id, Unit.path)).all())
    found: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        found.update(db.session.execute(select(Unit.id, Unit.path).where(
            Unit.id.in_(ids[start:start + 900]))).all())
    return found


def _planner_settings() -> None:
    """For this transaction only: room for the groupings in memory (the default 4 MB
    work_mem spills them to disk at national scale), and no JIT compilation (it costs more
    than it saves on statements this short)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT set_config('work_mem', '64MB', true), "
                                "set_config('jit', 'off', true)"))


def stored_unit_counts(round_: Round) -> dict[int, Counts] | None:
    """Each unit's own counts from a closed round's current aggregates
    (server/analytics/aggregates.py), else None (counted live)."""
    if not aggregates_current(db.session, round_):
        return None
    table = RoundUnitAggregate
    return {row.unit_id: Counts(row.own_responses, row.own_late, row.own_rejected,
                                row.own_excluded)
            for row in db.session.execute(
                select(table.unit_id, table.own_responses, table.own_late, table.own_rejected,
                       table.own_excluded).where(table.round_id == round_.id))}
