"""Folding an open round's delta into its stored aggregates (server/analytics/refresh.py):
only the responses after the stored bound are read, grouped as a full build groups them
(server/analytics/aggregates.py), and added to the stored rows they touch; the bound moves
to the round's last id. Every stored figure is a count (or a last id), so stored + delta is
what a full build would store.

The order keeps it exact: the new stamp (bound L') is taken first, then the stored rows are
checked usable up to their bound L, then the responses in (L, L'] are read. A response
committing late with an id <= L before the check is seen by it (a full build instead); one
committing later, or with an id in (L, L'] after the stamp, makes the new stamp differ from
the data (read live, rebuilt), never counted twice or missed.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from server.analytics.aggregates import EMPTY_TALLIES, collect
from server.analytics.currency import round_stamp, usable_aggregates
from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.db_types import utcnow
from server.extensions import db
from server.rounds.models import Round

_SUMMED = ("own_listed", "own_listed_id_sum", "own_responses", "own_late", "own_rejected",
           "own_excluded", "tree_listed", "tree_listed_id_sum", "tree_responses")
_LAST = ("own_listed_id_max", "tree_listed_id_max")
_CHUNK = 5000


def added_tallies(stored: dict, delta: dict) -> dict:
    """Two tallies documents ({"a", "s", "v"}, RoundUnitAggregate.tallies) added up."""
    result = {"a": dict(stored.get("a", {})), "s": dict(stored.get("s", {})),
              "v": {question: dict(values) for question, values in stored.get("v", {}).items()}}
    for kind in ("a", "s"):
        for question, n in delta.get(kind, {}).items():
            result[kind][question] = result[kind].get(question, 0) + n
    for question, values in delta.get("v", {}).items():
        into = result["v"].setdefault(question, {})
        for value, n in values.items():
            into[value] = into.get(value, 0) + n
    return result


def added_margins(stored: list, delta: list) -> list:
    """Two margins documents (RoundUnitAggregate.margins) added up, entry by entry."""
    found = {(dimension, bool(answered), value): [responses, {k: list(c) for k, c in cells.items()}]
             for dimension, answered, value, responses, cells in stored}
    for dimension, answered, value, responses, cells in delta:
        entry = found.setdefault((dimension, bool(answered), value), [0, {}])
        entry[0] += responses
        for key, (valid, counted) in cells.items():
            cell = entry[1].setdefault(key, [0, 0])
            cell[0] += valid
            cell[1] += counted
    return [[dimension, answered, value, responses, cells]
            for (dimension, answered, value), (responses, cells) in found.items()]


def _stored_rows(session: Session, round_id: int, unit_ids: list[int]) -> dict[int, dict]:
    table = RoundUnitAggregate.__table__
    found = {}
    for start in range(0, len(unit_ids), _CHUNK):
        for row in session.execute(select(table).where(
                table.c.round_id == round_id,
                table.c.unit_id.in_(unit_ids[start:start + _CHUNK]))).mappings():
            found[row["unit_id"]] = dict(row)
    return found


def fold_delta(round_: Round) -> int | None:
    """Add the round's responses after its stored bound to its stored aggregates; flushes
    only. Returns the number of units whose rows changed, or None when the stored rows are
    unusable (build them again: aggregates.build_round_aggregates)."""
    session = db.session
    header = session.get(RoundAggregate, round_.id, with_for_update=True)
    data_version = round_.data_version
    stamp = round_stamp(session, round_)                 # L' first, see the module's note
    usable = usable_aggregates(session, round_, header)
    if usable is None:
        return None
    if stamp["upto"] == usable.upto_id:
        return 0
    collected = collect(session, round_, stamp["upto"], after_id=usable.upto_id)
    stored = _stored_rows(session, round_.id, list(collected.counts))
    changed, new = [], []
    for unit_id, values in collected.counts.items():
        row = stored.get(unit_id)
        if row is None:
            new.append(collected.row(unit_id))
            continue
        for name in _SUMMED:
            row[name] += values[name]
        for name in _LAST:
            row[name] = max(row[name], values[name])
        if unit_id in collected.tree.with_children:
            row["tallies"] = added_tallies(row["tallies"] or EMPTY_TALLIES,
                                           collected.tallies.get(unit_id, EMPTY_TALLIES))
            row["margins"] = added_margins(row["margins"] or [],
                                           collected.margins.get(unit_id, []))
        changed.append(row)
    table = RoundUnitAggregate.__table__
    for start in range(0, len(changed), _CHUNK):
        session.execute(update(RoundUnitAggregate), changed[start:start + _CHUNK])
    for start in range(0, len(new), _CHUNK):
        session.execute(insert(table), new[start:start + _CHUNK])
    header.data_version, header.stamp, header.built_at = data_version, stamp, utcnow()
    session.flush()
    return len(collected.counts)
