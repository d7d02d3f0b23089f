"""A round's progress: responses against targets per unit and per volunteer, the pace, the
daily counts.

Counting is done by the database (GROUP BY the response's unit, its volunteer, its day); only
those per-unit sums are then added up the unit tree here, through the materialised paths, the
way the report's coverage table adds them up (server/analytics/scope.py). The rule of what
counts is the report's: a counted status and not excluded (server/sync/exclusion.py).

Rejected counts are the stored responses rejected on review plus the uploads refused at sync
(from the audit log: distinct UUIDs never stored since).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import (
    Date,
    Integer,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import aliased

from server.analytics.aggregates import aggregates_current
from server.analytics.models import RoundUnitAggregate
from server.audit.models import AuditEntry
from server.db_types import UTCDateTime, utcnow
from server.extensions import db
from server.people.models import User, user_units
from server.reporting.access import visible_rounds
from server.rounds.models import Round, round_units
from server.sync.exclusion import counted
from server.sync.models import Response
from server.units.models import Unit
from server.units.services import slugify

UPLOAD_REJECTED = "submission.rejected"
NEVER = datetime.min.replace(tzinfo=UTC)
MAX_CHART_DAYS = 400


# --- the round's pace ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Pace:
    """How far through its window the round is: expected = target × elapsed / length."""
    elapsed_days: float
    length_days: float

    @property
    def fraction(self) -> float:
        if self.length_days <= 0:
            return 1.0
        return min(max(self.elapsed_days / self.length_days, 0.0), 1.0)

    def expected(self, target: int | None) -> int | None:
        # whole responses: a unit is behind only once a full response is missing
        return None if target is None else math.floor(target * self.fraction + 1e-9)


def round_pace(round_: Round, now: datetime | None = None) -> Pace:
    now = now or utcnow()
    length = (round_.closes_at - round_.opens_at).total_seconds() / 86400
    if round_.effective_status(now) == "closed":
        return Pace(length, length)
    elapsed = (min(now, round_.closes_at) - round_.opens_at).total_seconds() / 86400
    return Pace(max(elapsed, 0.0), length)


# --- rows ---------------------------------------------------------------------------------

@dataclass(slots=True)
class Counts:
    responses: int = 0     # counted: the report's number
    late: int = 0          # counted and completed after the round closed
    rejected: int = 0      # rejected on review, or refused at upload
    excluded: int = 0      # excluded from reports by an admin

    def add(self, other: Counts) -> None:
        self.responses += other.responses
        self.late += other.late
        self.rejected += other.rejected
        self.excluded += other.excluded


@dataclass(slots=True)
class UnitRow:
    id: int
    name: str
    kind: str
    has_children: bool = False
    own: bool = False              # responses made at the scope unit itself
    target: int | None = None
    counts: Counts = field(default_factory=Counts)
    expected: int | None = None

    @property
    def responses(self) -> int:
        return self.counts.responses

    @property
    def coverage(self) -> float | None:
        return self.responses / self.target if self.target else None

    @property
    def shortfall(self) -> int:
        """Responses missing to be on pace (0 when on or ahead of pace)."""
        return max((self.expected or 0) - self.responses, 0)

    @property
    def behind(self) -> bool:
        return self.shortfall > 0


@dataclass(slots=True)
class VolunteerRow:
    id: int
    display_name: str
    username: str
    is_active: bool
    last_sync_at: datetime | None
    app_version: str | None
    queued: int | None
    counts: Counts
    last_response_at: datetime | None = None
    units: list[str] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return self.counts.responses


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    responses: int
    cumulative: int
    future: bool = False        # a day of the round still to come
    in_window: bool = True      # between the round's opening and closing days


# --- which round, which units -------------------------------------------------------------

def progress_rounds(user: User) -> list[Round]:
    """The rounds the user may follow (the reports' rule), newest first."""
    return visible_rounds(user)


def default_round(rounds: list[Round], now: datetime | None = None) -> Round | None:
    """The first open round, else the newest."""
    now = now or utcnow()
    return next((r for r in rounds if r.effective_status(now) == "open"), rounds[0] if rounds else None)


def top_scope_units(round_: Round, user: User, units: RoundUnits) -> list[Unit]:
    """The highest units of the round the user sees (the reports' rule): an admin's province,
    an official's commune. Worked out from the round units' paths: no list of every unit."""
    if user.role == "admin":
        ids = {_path_ids(path)[0] for path, _ in units.by_id.values()}
    else:
        assigned = [(unit_id, path) for unit_id, path in db.session.execute(
            select(Unit.id, Unit.path).join(user_units, user_units.c.unit_id == Unit.id)
            .where(user_units.c.user_id == user.id)) if unit_id in units.holding]
        ids = {unit_id for unit_id, path in assigned
               if not any(other != path and path.startswith(other) for _, other in assigned)}
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.path)))


@lru_cache(maxsize=100_000)
def _path_ids(path: str) -> tuple[int, ...]:
    """The ids along a materialised path (cached: a national page splits 36,000 paths
    several times)."""
    return tuple(int(part) for part in path.strip("/").split("/") if part)


def _in_roots(roots: list[str]):
    return or_(*[Unit.path.startswith(path, autoescape=True) for path in roots])


class RoundUnits:
    """The round's own units (id -> (path, target)) and every unit above them."""

    def __init__(self, by_id: dict[int, tuple[str, int]]):
        self.by_id = by_id
        self.holding = {unit_id for path, _ in by_id.values() for unit_id in _path_ids(path)}

    def related(self, path: str) -> bool:
        """The unit holds a round unit or lies inside one."""
        ids = _path_ids(path)
        return bool(ids) and (ids[-1] in self.holding or any(i in self.by_id for i in ids))

    def inside(self, roots: list[str]) -> list[tuple[int, str, int]]:
        return [(unit_id, path, target) for unit_id, (path, target) in self.by_id.items()
                if any(path.startswith(root) for root in roots)]


def round_units_of(round_: Round) -> RoundUnits:
    rows = db.session.execute(
        select(Unit.id, Unit.path, func.coalesce(round_units.c.target, round_.target_per_unit))
        .join(round_units, round_units.c.unit_id == Unit.id)
        .where(round_units.c.round_id == round_.id)).all()
    return RoundUnits({unit_id: (path, int(target)) for unit_id, path, target in rows})


# --- counting (SQL) -----------------------------------------------------------------------

# Above this many round units, the scope reads most of the round: its responses are read in
# table order (SQLite would otherwise fetch them unit by unit through the unit index, about
# three times slower for a province); a commune's few units are read through the index.
WIDE_SCOPE_UNITS = 200


@dataclass(slots=True)
class RoundCounts:
    """The round's counts below the roots, as the database grouped them."""
    units: dict[int, tuple[str, Counts]]                      # unit id -> (path, counts)
    volunteers: dict[int, tuple[Counts, datetime | None]]     # id -> (counts, last received)
    days: list[tuple[date, int]]                              # local day -> counted


def _inside(roots: list[str], wide: bool):
    units = select(Unit.id).where(_in_roots(roots))
    column = Response.unit_id + 0 if wide else Response.unit_id
    return column.in_(units)


def _responses_by_unit_volunteer_day(round_id: int, roots: list[str], wide: bool):
    """One pass over the round's responses: their counts per (unit, volunteer, local day)."""
    is_counted = counted()

    def number(condition):
        return func.sum(case((condition, 1), else_=0))

    unit_id = (Response.unit_id + 0 if wide else Response.unit_id).label("unit_id")
    day = _local_day(Response.completed_at).label("day")
    return (select(unit_id, Response.volunteer_id.label("volunteer_id"), day,
                   number(is_counted).label("responses"),
                   number(and_(is_counted, Response.is_late.is_(True))).label("late"),
                   number(Response.status == "rejected").label("rejected"),
                   number(Response.excluded_at.is_not(None)).label("excluded"),
                   func.max(Response.received_at).label("received_at"))
            .where(Response.round_id == round_id, _inside(roots, wide))
            .group_by(unit_id, Response.volunteer_id, day)
            .cte("per_day").prefix_with("MATERIALIZED"))


def _refused_uploads(round_id: int, roots: list[str]):
    """Distinct UUIDs refused at upload for this round and never stored since, per (unit,
    volunteer), from the audit log."""
    audit_unit = AuditEntry.details["unit_id"].as_integer()
    audit_round = AuditEntry.details["round_id"].as_integer()
    never_stored = ~exists().where(Response.uuid == AuditEntry.object_id)
    return (select(audit_unit.label("unit_id"), AuditEntry.actor_id.label("volunteer_id"),
                   func.count(distinct(AuditEntry.object_id)).label("rejected"))
            .where(AuditEntry.action == UPLOAD_REJECTED, audit_round == round_id,
                   audit_unit.in_(select(Unit.id).where(_in_roots(roots))), never_stored)
            .group_by(audit_unit, AuditEntry.actor_id)
            .cte("refused"))


def round_counts(round_id: int, roots: list[str], wide: bool,
                 stored_units: dict[int, Counts] | None = None) -> RoundCounts:
    """Per unit, per volunteer and per day, in one statement: the responses are read once,
    grouped, and the groups summed again by unit, by volunteer and by day. The units'
    counts come from a closed round's stored aggregates when given (`stored_units`: own
    counts per unit id), else from the same statement; either way grouped by unit id alone,
    the paths looked up afterwards (joining 60,000 groups to the units and sorting them by
    path spilled to disk at national scale)."""
    per_day, refused = (_responses_by_unit_volunteer_day(round_id, roots, wide),
                        _refused_uploads(round_id, roots))
    zero = literal(0)
    # typed NULLs: PostgreSQL matches the UNION's column types, and the first SELECT's types
    # decide how each column is read back (a day, a UTC time)
    no_key = cast(null(), Integer)
    no_day, no_time = cast(null(), Date), cast(null(), UTCDateTime())

    def sums(source, with_counts: bool):
        if not with_counts:
            return [zero, zero, func.sum(source.c.rejected), zero]
        return [func.sum(source.c.responses), func.sum(source.c.late),
                func.sum(source.c.rejected), func.sum(source.c.excluded)]

    def by_unit(kind: str, source, with_counts: bool):
        return (select(literal(kind).label("kind"), source.c.unit_id.label("key"),
                       no_day.label("day"), *sums(source, with_counts),
                       no_time.label("received_at"))
                .group_by(source.c.unit_id))

    def by_volunteer(kind: str, source, with_counts: bool):
        last = func.max(source.c.received_at) if with_counts else no_time
        return (select(literal(kind).label("kind"), source.c.volunteer_id.label("key"),
                       no_day.label("day"), *sums(source, with_counts),
                       last.label("received_at"))
                .group_by(source.c.volunteer_id))

    days = (select(literal("day").label("kind"), no_key.label("key"),
                   per_day.c.day, func.sum(per_day.c.responses), zero, zero, zero, no_time)
            .group_by(per_day.c.day))
    parts = [by_unit("unit", refused, False), by_volunteer("volunteer", per_day, True),
             by_volunteer("volunteer", refused, False), days]
    if stored_units is None:
        parts.insert(0, by_unit("unit", per_day, True))
    _roomy_sorts()
    result = RoundCounts({}, {}, [])
    unit_counts: dict[int, Counts] = {}
    for unit_id, counts in (stored_units or {}).items():
        unit_counts[unit_id] = Counts(counts.responses, counts.late, counts.rejected,
                                      counts.excluded)
    for kind, key, day, responses, late, rejected, excluded, received_at in (
            db.session.execute(union_all(*parts))):
        counts = Counts(int(responses or 0), int(late or 0), int(rejected or 0), int(excluded or 0))
        if kind == "unit":
            unit_counts.setdefault(key, Counts()).add(counts)
        elif kind == "volunteer":
            known, last = result.volunteers.get(key, (Counts(), None))
            known.add(counts)
            result.volunteers[key] = (known, max(filter(None, (last, received_at)), default=None))
        elif day is not None and responses:
            result.days.append((_as_date(day), int(responses)))
    paths = _unit_paths(unit_counts)
    prefixes = tuple(roots)
    result.units = {unit_id: (paths[unit_id], counts) for unit_id, counts in unit_counts.items()
                    if unit_id in paths and paths[unit_id].startswith(prefixes)}
    result.days.sort()
    return result


def _unit_paths(counts: dict[int, Counts]) -> dict[int, str]:
    ids = sorted(counts)
    if len(ids) > 4 * 900:   # most of the tree: one read of every path
        return dict(db.session.execute(select(Unit.id, Unit.path)).all())
    found: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        found.update(db.session.execute(select(Unit.id, Unit.path).where(
            Unit.id.in_(ids[start:start + 900]))).all())
    return found


def _roomy_sorts() -> None:
    """PostgreSQL's default work_mem (4 MB) makes the round's grouping spill to disk at
    national scale (60,000 unit-volunteer-day groups): more, for this transaction only."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))


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


def _display_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def _local_day(column):
    zone = _display_zone()
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone(zone.key, column), Date)
    # SQLite keeps naive UTC text; Vietnam has had one offset since 1975 (no summer time).
    offset = zone.utcoffset(datetime(2000, 1, 1))
    return func.date(column, f"{int(offset.total_seconds() // 60):+d} minutes")


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --- the page's data ----------------------------------------------------------------------

VIEWS = ("children", "all")


@dataclass(slots=True)
class Progress:
    round: Round
    pace: Pace
    scope: Unit | None              # None: the user's top units of the round
    roots: list[Unit]
    view: str
    rows: list[UnitRow]
    total: UnitRow
    volunteers: list[VolunteerRow]
    days: list[DayCount]
    behind_units: int               # round units below the scope behind the pace


def _name_key(name: str) -> tuple:
    """Vietnamese names in alphabetical order, numbers by value ("Tổ 2" before "Tổ 10")."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", slugify(name)) if part)


def _bucket_rows(round_: Round, scope: Unit | None, roots: list[Unit], view: str,
                 units: RoundUnits) -> list[UnitRow]:
    child = aliased(Unit)
    has_children = exists().where(child.parent_id == Unit.id)
    query = select(Unit.id, Unit.name, Unit.kind, has_children.label("has_children"))
    if view == "all":
        query = query.join(round_units, round_units.c.unit_id == Unit.id).where(
            round_units.c.round_id == round_.id, _in_roots([r.path for r in roots]))
    elif scope is None:
        query = query.where(Unit.id.in_([r.id for r in roots]))
    else:
        query = query.where(Unit.parent_id == scope.id)
    rows = db.session.execute(query).all()
    if view != "all" and scope is not None:
        rows = [row for row in rows if units.related(f"{scope.path}{row.id}/")]
    return [UnitRow(row.id, row.name, row.kind, bool(row.has_children)) for row in rows]


@dataclass(slots=True)
class SubtreeSums:
    """Per unit, the counts and targets of the units at or below it: added up the tree once
    (33,000 round units at national scale), then looked up per row."""
    counts: dict[int, Counts]
    targets: dict[int, int]


def subtree_sums(counts: dict[int, tuple[str, Counts]],
                 targets: list[tuple[int, str, int]], needed: set[int]) -> SubtreeSums:
    """The sums of the `needed` units only (the page's rows and the round's units)."""
    sums = SubtreeSums({unit_id: Counts() for unit_id in needed}, {})
    for path, unit_counts_ in counts.values():
        for unit_id in _path_ids(path):
            if unit_id in needed:
                sums.counts[unit_id].add(unit_counts_)
    for _, path, target in targets:
        for unit_id in _path_ids(path):
            if unit_id in needed:
                sums.targets[unit_id] = sums.targets.get(unit_id, 0) + target
    return sums


def _roll_up(rows: list[UnitRow], sums: SubtreeSums, pace: Pace) -> None:
    """Each bucket gets the sums of the units at or below it (the report's coverage rule)."""
    for row in rows:
        if not row.own:
            row.counts.add(sums.counts[row.id])
            if row.id in sums.targets:
                row.target = (row.target or 0) + sums.targets[row.id]
        row.expected = pace.expected(row.target)


def _total(scope: Unit | None, counts, targets, pace: Pace) -> UnitRow:
    total = UnitRow(scope.id if scope else 0, scope.name if scope else "", scope.kind if scope else "")
    for _, unit_counts_ in counts.values():
        total.counts.add(unit_counts_)
    total.target = sum(target for _, _, target in targets) if targets else None
    total.expected = pace.expected(total.target)
    return total


def _own_row(scope: Unit, counts) -> UnitRow | None:
    """Responses made at the scope unit itself (a commune's own volunteers), if any."""
    if scope.id not in counts:
        return None
    row = UnitRow(scope.id, scope.name, scope.kind, own=True)
    row.counts.add(counts[scope.id][1])
    return row


def _behind_units(targets, sums: SubtreeSums, pace: Pace) -> int:
    """Round units under the roots whose own subtree is behind the pace."""
    behind = 0
    for unit_id, _, _ in targets:
        responses = sums.counts[unit_id].responses
        behind += (pace.expected(sums.targets.get(unit_id)) or 0) - responses > 0
    return behind


def volunteer_rows(counts: RoundCounts, roots: list[str], units: RoundUnits
                   ) -> list[VolunteerRow]:
    """Every volunteer with responses or refusals below the roots, and every active volunteer
    assigned there (in a unit of the round) who has none yet."""
    assigned_here = (select(user_units.c.user_id).join(Unit, Unit.id == user_units.c.unit_id)
                     .where(_in_roots(roots)))
    columns = (User.id, User.display_name, User.username, User.is_active, User.last_sync_at,
               User.last_app_version, User.last_queued_count)
    found = {user.id: user for user in db.session.execute(select(*columns).where(
        User.role == "volunteer", User.is_active.is_(True), User.id.in_(assigned_here)))}
    related = {user_id for user_id, path in db.session.execute(
        select(user_units.c.user_id, Unit.path).join(Unit, Unit.id == user_units.c.unit_id)
        .where(_in_roots(roots))) if units.related(path)}
    # who collected here without being assigned here (any more): usually nobody
    others = set(counts.volunteers) - set(found)
    if others:
        found.update((user.id, user) for user in db.session.execute(
            select(*columns).where(User.id.in_(others))))
    rows = []
    for user in found.values():
        if user.id not in counts.volunteers and user.id not in related:
            continue
        own, last = counts.volunteers.get(user.id, (Counts(), None))
        rows.append(VolunteerRow(user.id, user.display_name, user.username, user.is_active,
                                 user.last_sync_at, user.last_app_version,
                                 user.last_queued_count, own, last))
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


def day_series(round_: Round, counts: list[tuple[date, int]], now: datetime | None = None
               ) -> list[DayCount]:
    """Every local day of the round's window (and any day outside it with responses, e.g.
    late ones), with its responses and the running total."""
    zone = _display_zone()
    first = round_.opens_at.astimezone(zone).date()
    last = (round_.closes_at - timedelta(microseconds=1)).astimezone(zone).date()
    today = (now or utcnow()).astimezone(zone).date()
    by_day = dict(counts)
    window = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    days = sorted(window | set(by_day))[:MAX_CHART_DAYS]
    running = 0
    series = []
    for day in days:
        running += by_day.get(day, 0)
        series.append(DayCount(day, by_day.get(day, 0), running, future=day > today,
                               in_window=day in window))
    return series


def round_progress(round_: Round, user: User, scope: Unit | None, view: str = "children",
                   now: datetime | None = None) -> Progress:
    """Everything the progress page shows for the round below `scope` (None: the user's top
    units of the round, or the only one). The caller has checked the user may see both."""
    now = now or utcnow()
    units = round_units_of(round_)
    if scope is None:
        tops = top_scope_units(round_, user, units)
        if len(tops) == 1:
            scope = tops[0]
        roots = [scope] if scope is not None else tops
    else:
        roots = [scope]
    pace = round_pace(round_, now)
    root_paths = [root.path for root in roots]
    if not root_paths:
        empty = UnitRow(0, "", "")
        return Progress(round_, pace, scope, [], view, [], empty, [], [], 0)
    targets = units.inside(root_paths)
    numbers = round_counts(round_.id, root_paths, wide=len(targets) > WIDE_SCOPE_UNITS,
                           stored_units=stored_unit_counts(round_))
    counts = numbers.units
    rows = _bucket_rows(round_, scope, roots, view, units)
    sums = subtree_sums(counts, targets,
                        {row.id for row in rows} | {unit_id for unit_id, _, _ in targets})
    _roll_up(rows, sums, pace)
    if view != "all" and scope is not None and (own := _own_row(scope, counts)) is not None:
        rows.append(own)
    return Progress(
        round=round_, pace=pace, scope=scope, roots=roots, view=view, rows=rows,
        total=_total(scope, counts, targets, pace),
        volunteers=volunteer_rows(numbers, root_paths, units),
        days=day_series(round_, numbers.days, now),
        behind_units=_behind_units(targets, sums, pace))


# --- sorting ------------------------------------------------------------------------------

UNIT_SORTS = {
    "name": lambda row: (row.own, _name_key(row.name)),
    "responses": lambda row: row.responses,
    "target": lambda row: row.target if row.target is not None else -1,
    "coverage": lambda row: row.coverage if row.coverage is not None else -1.0,
    "expected": lambda row: row.expected if row.expected is not None else -1,
    "shortfall": lambda row: row.shortfall,
    "late": lambda row: row.counts.late,
    "rejected": lambda row: row.counts.rejected,
    "excluded": lambda row: row.counts.excluded,
}
VOLUNTEER_SORTS = {
    "name": lambda row: _name_key(row.display_name),
    "responses": lambda row: row.responses,
    "late": lambda row: row.counts.late,
    "rejected": lambda row: row.counts.rejected,
    "excluded": lambda row: row.counts.excluded,
    "last_response": lambda row: row.last_response_at or NEVER,
    "last_sync": lambda row: row.last_sync_at or NEVER,
    "app_version": lambda row: _name_key(row.app_version or ""),
    "queued": lambda row: row.queued if row.queued is not None else -1,
}


def sorted_rows(rows: list, sorts: dict, key: str, descending: bool) -> list:
    """Sorted by the named column, ties by name; unknown keys sort by name."""
    by_name = sorts["name"]
    ordered = sorted(rows, key=by_name)
    return sorted(ordered, key=sorts.get(key, by_name), reverse=descending)
