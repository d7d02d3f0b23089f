"""A round's counts below some units, by the database: per unit, per volunteer and per local
day, from the responses and from the uploads refused at sync.

One statement (a UNION ALL) reads the round's responses from the index that holds every
column it needs (ix_responses_round_progress: round, unit, volunteer, times, status, late,
excluded), so no response row is fetched from the table and a province's units are looked
up in it one by one. The responses are grouped per (unit, volunteer), then summed per unit
and per volunteer, and grouped per local day: on PostgreSQL both in one read (GROUPING
SETS), on SQLite in two. Grouping per (unit, volunteer, day) instead made 285,000 groups
at national scale.

Rejected counts are the stored responses rejected on review plus the uploads refused at sync
(from the audit log: distinct UUIDs never stored since).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    DateTime,
    Integer,
    and_,
    cast,
    distinct,
    exists,
    func,
    literal,
    null,
    select,
    tuple_,
    type_coerce,
    union_all,
)

from server.analytics.aggregates import aggregates_current
from server.analytics.models import RoundUnitAggregate
from server.audit.models import AuditEntry
from server.database import roomy_planner
from server.db_types import UTCDateTime
from server.extensions import db
from server.progress.days import day_key
from server.progress.rows import Counts, add_numbers
from server.reporting.fingerprint import path_prefix_filter
from server.rounds.models import Round
from server.sync.exclusion import counted
from server.sync.models import Response
from server.units.models import Unit

UPLOAD_REJECTED = "submission.rejected"
_NUMBERS = ("responses", "late", "rejected", "excluded")


@dataclass(slots=True)
class RoundCounts:
    """The round's counts below the roots, as the database grouped them. A unit's own
    numbers are a plain list [responses, late, rejected, excluded] (Counts' order): 33,000
    of them at national scale, summed up the tree as lists (rollup.py)."""
    units: dict[int, list[int]]                               # unit id -> own numbers
    paths: dict[int, str]                                     # unit id -> path (of those)
    volunteers: dict[int, tuple[Counts, datetime | None]]     # id -> (counts, last received)
    days: list[tuple[date, int]]                              # local day -> counted


def _counts():
    """The four numbers of a group of responses (FILTER: no CASE per response), as
    integers: PostgreSQL then sums them as bigint, read back as int, where a bigint count's
    sum is a numeric read back as a Decimal (slower on both sides)."""
    is_counted = counted()
    return [cast(number, Integer) for number in (
        func.count().filter(is_counted),
        # lateness first: the status of the few late ones only is looked at again
        func.count().filter(and_(Response.is_late.is_(True), is_counted)),
        func.count().filter(Response.status == "rejected"),
        func.count().filter(Response.excluded_at.is_not(None)))]


def _per_unit_and_volunteer(below):
    """SQLite: the responses' numbers per (unit, volunteer): one read of the round's index
    in its own order (round, unit, volunteer), so grouped as it is read, without sorting or
    hashing; the units' and the volunteers' numbers are then summed from these groups
    (33,000 at national scale), not from the 664,200 responses again."""
    return (select(Response.unit_id.label("unit_id"),
                   Response.volunteer_id.label("volunteer_id"),
                   *[number.label(name)
                     for name, number in zip(_NUMBERS, _counts(), strict=True)],
                   func.max(Response.received_at).label("received_at"))
            .where(below).group_by(Response.unit_id, Response.volunteer_id)
            .cte("pairs").prefix_with("MATERIALIZED"))


def _pairs_and_days(below, day):
    """PostgreSQL: the (unit, volunteer) groups of _per_unit_and_volunteer and the local
    days' in one read of the index (GROUPING SETS, both hashed in the one pass), where a
    second read for the days cost 15-20 ms more at national scale (664,200 responses, 33,210
    pairs). A row is a pair's when `is_pair` is 1 (its day not grouped), else a day's."""
    return (select(Response.unit_id.label("unit_id"),
                   Response.volunteer_id.label("volunteer_id"),
                   day.column.label("day"),
                   *[number.label(name)
                     for name, number in zip(_NUMBERS, _counts(), strict=True)],
                   func.max(Response.received_at).label("received_at"),
                   func.grouping(day.column).label("is_pair"))
            .where(below)
            .group_by(func.grouping_sets(tuple_(Response.unit_id, Response.volunteer_id),
                                         day.column))
            .cte("grouped").prefix_with("MATERIALIZED"))


def _responses_below(round_id: int, roots: list[str]):
    if _whole_tree(roots):
        # the country's page: a filter on every unit would cost a join per grouping
        return Response.round_id == round_id
    return and_(Response.round_id == round_id,
                Response.unit_id.in_(select(Unit.id).where(path_prefix_filter(roots))))


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
                   cast(func.count(distinct(AuditEntry.object_id)), Integer).label("rejected"))
            .where(AuditEntry.action == UPLOAD_REJECTED, audit_round == round_id,
                   audit_unit.in_(select(Unit.id).where(path_prefix_filter(roots))), never_stored)
            .group_by(audit_unit, AuditEntry.actor_id)
            .cte("refused"))


def _count_statement(round_id: int, roots: list[str], with_units: bool):
    below = _responses_below(round_id, roots)
    day = day_key(Response.completed_at)
    zero = literal(0)
    # typed NULLs: PostgreSQL matches the UNION's column types, and the first SELECT's types
    # decide how each column is read back (a day, a time). The time is read as the driver
    # gives it and made UTC for the volunteers' rows only (round_counts): as a UTCDateTime
    # it would be processed in Python on each of the 36,000 rows, NULL or not.
    no_key, no_time = cast(null(), Integer), cast(null(), DateTime(timezone=True))
    refused = _refused_uploads(round_id, roots)

    def sums():
        return [func.sum(pairs.c[name]) for name in _NUMBERS]

    if db.session.get_bind().dialect.name == "postgresql":
        grouped = _pairs_and_days(below, day)
        pairs = select(grouped).where(grouped.c.is_pair == 1).subquery("pairs")
        days = select(literal("day"), no_key, grouped.c.day, grouped.c.responses, zero, zero,
                      zero, no_time).where(grouped.c.is_pair == 0)
    else:
        pairs = _per_unit_and_volunteer(below)
        # the days: a second read of the index (30 groups)
        days = select(literal("day"), no_key, day.column, func.count().filter(counted()), zero,
                      zero, zero, no_time).where(below).group_by(day.column)
    parts = [
        select(literal("volunteer").label("kind"), pairs.c.volunteer_id.label("key"),
               day.empty.label("day"), *sums(),
               type_coerce(func.max(pairs.c.received_at), DateTime(timezone=True))
               .label("received_at")).group_by(pairs.c.volunteer_id),
        days,
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
                 stored_units: dict[int, list[int]] | None = None,
                 round_paths: dict[int, tuple[str, int]] | None = None) -> RoundCounts:
    """Per unit, per volunteer and per day, in one statement. The units' counts come from a
    closed round's stored aggregates when given (`stored_units`: own counts per unit id),
    else from the same statement; either way grouped by unit id alone, the paths looked up
    afterwards (joining 33,000 groups to the units and sorting them by path spilled to
    disk at national scale): from `round_paths` (the round units' paths and targets) and, for
    any other unit, from the database."""
    statement, day = _count_statement(round_id, roots, stored_units is None)
    roomy_planner()
    volunteers: dict[int, tuple[Counts, datetime | None]] = {}
    days: list[tuple[date, int]] = []
    units: dict[int, list[int]] = dict(stored_units or {})
    for kind, key, day_value, responses, late, rejected, excluded, received_at in (
            db.session.execute(statement).all()):
        if kind == "unit":
            # the sums are integers (_counts); a unit appears twice only with refusals
            add_numbers(units, key, (responses, late, rejected, excluded))
        elif kind == "volunteer":
            counts = Counts(int(responses), int(late), int(rejected), int(excluded))
            known, last = volunteers.get(key, (Counts(), None))
            known.add(counts)
            volunteers[key] = (known, max(filter(None, (last, _utc(received_at))), default=None))
        elif day_value is not None and responses:
            days.append((day.to_date(day_value), int(responses)))
    round_paths = round_paths or {}
    paths = {unit_id: round_paths[unit_id][0] for unit_id in units.keys() & round_paths.keys()}
    if len(paths) < len(units):
        paths.update(_unit_paths([unit_id for unit_id in units if unit_id not in paths]))
    if stored_units is not None or len(paths) < len(units):
        # the statement keeps to the roots' units; a closed round's stored counts are all
        # the round's (and a unit gone since has no path)
        prefixes = tuple(roots)
        for unit_id in [unit_id for unit_id in units
                        if unit_id not in paths or not paths[unit_id].startswith(prefixes)]:
            del units[unit_id]
            paths.pop(unit_id, None)
    days.sort()
    return RoundCounts(units, paths, volunteers, days)


_UTC_TIME = UTCDateTime()


def _utc(value: datetime | None) -> datetime | None:
    """A time read back without its column type: as UTCDateTime reads it (SQLite keeps no
    zone: UTC is restored)."""
    return _UTC_TIME.process_result_value(value, None)


def _unit_paths(ids: list[int]) -> dict[int, str]:
    ids = sorted(ids)
    if len(ids) > 4 * 900:   # most of the tree: one read of every path
        return dict(db.session.execute(select(Unit.id, Unit.path)).all())
    found: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        found.update(db.session.execute(select(Unit.id, Unit.path).where(
            Unit.id.in_(ids[start:start + 900]))).all())
    return found


def stored_unit_counts(round_: Round) -> dict[int, list[int]] | None:
    """Each unit's own numbers (RoundCounts.units' lists) from a closed round's current aggregates
    (server/analytics/aggregates.py), else None (counted live). The units above those with
    responses are stored too, with nothing of their own: left out, as counting live leaves
    them (else a scope would get an empty row of responses made at the unit itself)."""
    if not aggregates_current(db.session, round_):
        return None
    table = RoundUnitAggregate
    return {unit_id: numbers
            for unit_id, *numbers in db.session.execute(
                select(table.unit_id, table.own_responses, table.own_late, table.own_rejected,
                       table.own_excluded).where(table.round_id == round_.id))
            if any(numbers)}
