"""A summary from stored aggregates plus the delta: the responses after the stored rows'
bound (server/analytics/currency.py), read live with the same queries and added in.

Every figure is a count, so stored counts plus the delta's counts are the live counts:
tallies per bucket and per breakdown answer are added key by key (Tally.add).
"""

from __future__ import annotations

from server.analytics import queries
from server.analytics.stored import StoredUnit
from server.analytics.tallies import Tally


def delta_scope(round_id: int, unit_path: str, stored: StoredUnit) -> queries.Scope | None:
    """The live queries' scope for the responses the stored rows do not hold; None when
    they hold every one."""
    if stored.after_id is None:
        return None
    # grouped by bucket in the database: the report needs no finer rows
    return queries.Scope(round_id, unit_path, after_id=stored.after_id, grouping="child")


def add_tallies(into: dict, more: dict) -> dict:
    """`more`'s tallies added into `into`'s, key by key (a key only in `more` is added)."""
    for key, tally in more.items():
        into.setdefault(key, Tally()).add(tally)
    return into


def add_breakdowns(into: dict[str, dict], more: dict[str, dict]) -> dict[str, dict]:
    """Per breakdown question, `more`'s tallies added into `into`'s."""
    for dimension, tallies in more.items():
        add_tallies(into.setdefault(dimension, {}), tallies)
    return into
