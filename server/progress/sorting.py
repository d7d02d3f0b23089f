"""The orders the progress tables sort by (a column, ties by name)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from server.units.tree import natural_key

NEVER = datetime.min.replace(tzinfo=UTC)


@lru_cache(maxsize=65_536)
def name_key(name: str) -> tuple:
    """The units' natural order ("Tổ 2" before "Tổ 10", accents and case aside), as a
    tuple kept per process: a national page sorts 3,321 volunteers' names, mostly the same
    every view."""
    return tuple(natural_key(name))


UNIT_SORTS = {
    "name": lambda row: (row.own, name_key(row.name)),
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
    "name": lambda row: name_key(row.display_name),
    "responses": lambda row: row.responses,
    "late": lambda row: row.counts.late,
    "rejected": lambda row: row.counts.rejected,
    "excluded": lambda row: row.counts.excluded,
    "last_response": lambda row: row.last_response_at or NEVER,
    "last_sync": lambda row: row.last_sync_at or NEVER,
    "app_version": lambda row: name_key(row.app_version or ""),
    "queued": lambda row: row.queued if row.queued is not None else -1,
}


def sorted_rows(rows: list, sorts: dict, key: str, descending: bool) -> list:
    """Sorted by the named column, ties by name; unknown keys sort by name."""
    by_name = sorts["name"]
    chosen = sorts.get(key, by_name)
    if chosen is by_name:
        # one sort: a stable sort keeps equal names in the same order either way
        return sorted(rows, key=by_name, reverse=descending)
    return sorted(sorted(rows, key=by_name), key=chosen, reverse=descending)
