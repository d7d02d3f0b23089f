"""A round's progress: responses against targets per unit and per volunteer, the pace, the
daily counts: the page's data, put together from the modules of this package.

Counting is done by the database (counting.py: GROUP BY the response's unit, its volunteer,
its day); only the per-unit sums are then added up the unit tree here (rollup.py), through
the materialised paths, the way the report's coverage table adds them up
(server/analytics/scope.py). The rule of what counts is the report's: a counted status and
not excluded (server/sync/exclusion.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from server.db_types import utcnow
from server.people.models import User
from server.progress.counting import round_counts, stored_unit_counts
from server.progress.days import day_series
from server.progress.pace import Pace, round_pace
from server.progress.rollup import (
    behind_units,
    bucket_rows,
    own_row,
    roll_up,
    subtree_sums,
    total_row,
)
from server.progress.rows import DayCount, UnitRow, VolunteerRow
from server.progress.scope import round_units_of, top_scope_units
from server.progress.volunteers import volunteer_rows
from server.rounds.models import Round
from server.units.models import Unit

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


def round_progress(round_: Round, user: User, scope: Unit | None, view: str = "children",
                   now: datetime | None = None) -> Progress:
    """Everything the progress page shows for the round below `scope` (None: the user's top
    units of the round, or the only one). The caller has checked the user may see both."""
    now = now or utcnow()
    units = round_units_of(round_, scope)
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
    numbers = round_counts(round_.id, root_paths, stored_units=stored_unit_counts(round_),
                           round_paths=units.by_id)
    counts = numbers.units
    rows = bucket_rows(round_, scope, roots, view, units)
    sums = subtree_sums(counts, numbers.paths, targets)
    roll_up(rows, sums, pace)
    if view != "all" and scope is not None and (own := own_row(scope, counts)) is not None:
        rows.append(own)
    return Progress(
        round=round_, pace=pace, scope=scope, roots=roots, view=view, rows=rows,
        total=total_row(scope, roots, sums, bool(targets), pace),
        volunteers=volunteer_rows(numbers, root_paths, units),
        days=day_series(round_, numbers.days, now),
        behind_units=behind_units(targets, sums, pace))
