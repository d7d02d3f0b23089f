"""The fingerprint of the data a round report of a unit rests on: the same data gives the
same fingerprint, any change the report could show gives another one.

Made for a whole page of units at once, in a handful of queries whatever the number of
units below them (a card of the whole country included): the database adds up, per page
unit, the responses of this round and of the earlier rounds a comparison may use (from the
index on round, unit, status, id alone), the round's targets and the shape of the tree
below it; Python only hashes a few numbers per unit. A unit's material is what its report
rests on: the unit and the names above it, its children, those sums, the round's settings
and the report options; and the suggestion messages and desk ratings of the round's days
below it (the report's sections on them).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import astuple
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    union_all,
)

from reports.sections.suggestions import STATUSES as SUGGESTION_STATUSES
from server.analytics.build import round_info
from server.analytics.currency import aggregates_current
from server.analytics.history import earlier_rounds
from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.analytics.period import ZONE as PERIOD_ZONE
from server.analytics.queries import COUNTED_STATUSES
from server.db_types import utcnow
from server.extensions import db
from server.kiosks.models import KioskDesk, KioskRating
from server.rounds.document import document_settings
from server.rounds.models import Round, round_units
from server.suggestions.figures import WEEK, period_bounds
from server.suggestions.models import SuggestionBox, SuggestionMessage
from server.sync.models import Response
from server.units.models import Unit, path_ids

_PATH = re.compile(r"/(?:[0-9]+/)*")


def path_prefix_filter(paths: Iterable[str]) -> ColumnElement[bool]:
    """units.path under any of the paths, the prefix written into the SQL text (a path is
    digits and slashes, checked): PostgreSQL then plans each prefix with the pattern index
    (a bound parameter hides the prefix from a generic plan)."""
    clauses = []
    for path in sorted(set(paths)):
        if not _PATH.fullmatch(path):
            raise ValueError(f"not a unit path: {path!r}")
        clauses.append(Unit.path.like(literal_column(f"'{path}%'")))
    return or_(*clauses) if clauses else Unit.id.is_(None)


# Page units per statement: each is one SELECT of a UNION ALL (SQLite allows 500).
_UNITS_PER_STATEMENT = 100


def _per_unit(units: list[Unit], parts) -> dict[int, list]:
    """page unit id -> the aggregate rows `parts(unit, scope)` over the units at or below
    it: the page's units in one statement (the aggregation is the database's)."""
    found: dict[int, list] = defaultdict(list)
    for start in range(0, len(units), _UNITS_PER_STATEMENT):
        selects = [part for unit in units[start:start + _UNITS_PER_STATEMENT]
                   for part in parts(unit, select(Unit.id).where(path_prefix_filter([unit.path])))]
        statement = union_all(*selects) if len(selects) > 1 else selects[0]
        for page_id, *values in db.session.execute(statement):
            found[int(page_id)].append([int(value or 0) for value in values])
    return found


def _unit_label(unit: Unit):
    return literal_column(str(int(unit.id)))


def _live_states(round_ids: list[int], units: list[Unit]) -> dict[int, dict[int, list[int]]]:
    """Per round and page unit: count, id sum and last id of the round's listed responses
    below it, every round and page unit in one statement (each part reads its own subtree
    from the index)."""
    def parts(unit, scope):
        return [select(_unit_label(unit), literal_column(str(int(round_id))),
                       func.count(Response.id), func.sum(Response.id), func.max(Response.id))
                .where(Response.round_id == round_id, Response.status.in_(COUNTED_STATUSES),
                       Response.unit_id.in_(scope))
                for round_id in round_ids]
    found: dict[int, dict[int, list[int]]] = defaultdict(dict)
    if round_ids:
        for unit_id, rows in _per_unit(units, parts).items():
            for round_id, *state in rows:
                found[round_id][unit_id] = state
    return found


def _round_wide_states(round_id: int, units: list[Unit]) -> dict[int, list[int]]:
    """The same numbers from one GROUP BY unit over the whole round (index-only on round,
    unit, status, id), added up the unit paths here: a page of provinces or the country
    reads the round once, not once per page unit."""
    grouped = (select(Response.unit_id.label("unit_id"), func.count(Response.id).label("n"),
                      func.sum(Response.id).label("id_sum"),
                      func.max(Response.id).label("id_max"))
               .where(Response.round_id == round_id, Response.status.in_(COUNTED_STATUSES))
               .group_by(Response.unit_id).subquery())
    page = {unit.id for unit in units}
    found: dict[int, list[int]] = {}
    for path, n, id_sum, id_max in db.session.execute(
            select(Unit.path, grouped.c.n, grouped.c.id_sum, grouped.c.id_max)
            .join(Unit, Unit.id == grouped.c.unit_id)):
        for unit_id in path_ids(path):
            if unit_id in page:
                state = found.setdefault(unit_id, [0, 0, 0])
                state[0] += int(n)
                state[1] += int(id_sum or 0)
                state[2] = max(state[2], int(id_max or 0))
    return found


def _stored_states(round_id: int, units: list[Unit]) -> dict[int, list[int]]:
    """The same numbers from the round's stored aggregates (known to be current)."""
    ids = [unit.id for unit in units]
    return {row.unit_id: [row.tree_listed, row.tree_listed_id_sum, row.tree_listed_id_max]
            for row in db.session.execute(
                select(RoundUnitAggregate.unit_id, RoundUnitAggregate.tree_listed,
                       RoundUnitAggregate.tree_listed_id_sum, RoundUnitAggregate.tree_listed_id_max)
                .where(RoundUnitAggregate.round_id == round_id, RoundUnitAggregate.unit_id.in_(ids)))}


# Above this many round units below a page's units, their states are read round-wide.
ROUND_WIDE_UNITS = 2000


def _stored_rounds(rounds: list[Round]) -> set[int]:
    """The closed rounds whose aggregates hold every response as it is (one query for their
    headers): their stored counts are the live ones (analytics/currency.py). An open round
    or one with responses after the stored bound is counted live."""
    closed = {r.id: r for r in rounds if r.effective_status() == "closed"}
    if not closed:
        return set()
    headers = db.session.scalars(select(RoundAggregate).where(
        RoundAggregate.round_id.in_(closed)))
    return {header.round_id for header in headers
            if aggregates_current(db.session, closed[header.round_id], header)}


def _response_states(rounds: list[Round], units: list[Unit], round_units_below: int
                     ) -> dict[int, list]:
    """Per page unit and round: count, id sum and last id of the listed responses below
    it (any response added, removed or rejected changes one of them); answers changed in
    place raise the data version. Whichever way they are read, the numbers are the same:
    a closed round's current aggregates, one round-wide GROUP BY for a broad page, or one
    statement for every round and page unit. Stored counts serve broad pages only: checking
    that they are current reads the whole round, which costs more than reading a province's
    or a commune's responses."""
    broad = round_units_below > ROUND_WIDE_UNITS
    stored = _stored_rounds(rounds) if broad else set()
    by_round = _live_states([r.id for r in rounds if r.id not in stored and not broad], units)
    for round_ in rounds:
        if round_.id in stored:
            by_round[round_.id] = _stored_states(round_.id, units)
        elif broad:
            by_round[round_.id] = _round_wide_states(round_.id, units)
    found: dict[int, list] = defaultdict(list)
    for round_ in rounds:
        states = by_round.get(round_.id, {})
        for unit in units:
            found[unit.id].append([round_.id, *[int(v or 0) for v in states.get(unit.id,
                                                                               [0, 0, 0])]])
    return found


def _targets(round_id: int, units: list[Unit]) -> dict[int, list]:
    """Per page unit: the round's units below it, their own targets and where they are (a
    target moved from one unit to another changes the weighted sum)."""
    target = round_units.c.target

    def parts(unit, scope):
        return [select(_unit_label(unit), func.count(), func.count(target), func.sum(target),
                       func.sum(cast(target, BigInteger) * round_units.c.unit_id))
                .where(round_units.c.round_id == round_id, round_units.c.unit_id.in_(scope))]
    return _per_unit(units, parts)


def _tree_signature(units: list[Unit]) -> dict[int, list]:
    """Per page unit: how many units lie below it and where (a unit moved from one child to
    another changes its parent, so the weighted sum; renames below the children are not
    printed and do not count)."""
    def parts(unit, scope):
        return [select(_unit_label(unit), func.count(Unit.id),
                       func.sum(cast(Unit.id, BigInteger) * func.coalesce(Unit.parent_id, 0)),
                       func.sum(func.length(Unit.path)))
                .where(path_prefix_filter([unit.path]))]
    return _per_unit(units, parts)


def _period(round_: Round) -> tuple[datetime, datetime]:
    """The round's days (opening to closing day, Viet Nam time) as the report's suggestion
    and desk sections count them (server/analytics/period.py)."""
    info = round_info(round_)
    return period_bounds(info.starts_on, info.ends_on, PERIOD_ZONE)


def _channel_states(round_: Round, units: list[Unit], now: datetime) -> dict[int, list]:
    """Per page unit, what its report's suggestion-box and desk sections rest on: the boxes
    and desks below it; the messages of the round's days (count, id sum, last id, replied,
    closed, per status, topics, and those past their 7 days, which changes with time alone)
    and the desk ratings (count, id sum, last id, flagged)."""
    low, high = _period(round_)
    week_ago = now - WEEK
    message = SuggestionMessage
    rating = KioskRating

    def padded(unit, kind: int, *values):
        # one UNION ALL for the three kinds of row: each is as wide as the widest
        zeros = [literal_column("0")] * (_CHANNEL_WIDTH - len(values))
        return select(_unit_label(unit), literal_column(str(kind)), *values, *zeros)

    def parts(unit, scope):
        boxes = select(SuggestionBox.id).where(SuggestionBox.unit_id.in_(scope))
        desks = select(KioskDesk.id).where(KioskDesk.unit_id.in_(scope))
        return [
            padded(unit, 1, func.count(SuggestionBox.id)).where(SuggestionBox.unit_id.in_(scope)),
            padded(unit, 2, func.count(KioskDesk.id)).where(KioskDesk.unit_id.in_(scope)),
            padded(unit, 3, func.count(message.id), func.sum(message.id), func.max(message.id),
                   func.count(message.first_reply_at), func.count(message.closed_at),
                   *[func.sum(case((message.status == status, 1), else_=0))
                     for status in SUGGESTION_STATUSES],
                   func.sum(func.coalesce(message.topic_id, 0)),
                   func.sum(case((message.received_at <= week_ago, 1), else_=0)))
            .where(message.box_id.in_(boxes), message.received_at >= low,
                   message.received_at < high),
            padded(unit, 4, func.count(rating.id), func.sum(rating.id), func.max(rating.id),
                   func.count(rating.flag))
            .where(rating.desk_id.in_(desks), rating.rated_at >= low, rating.rated_at < high)]

    found = _per_unit(units, parts)
    return {unit.id: sorted(found[unit.id]) for unit in units}


_CHANNEL_WIDTH = 7 + len(SUGGESTION_STATUSES)   # the message row's values


def _round_material(round_: Round, earlier: list[Round], options) -> dict:
    return {
        "round": [round_.id, round_.title, round_.opens_at.isoformat(),
                  round_.closes_at.isoformat(), round_.effective_status(),
                  round_.target_per_unit, round_.form_version.content_hash,
                  round_.data_version],
        "earlier": [[r.id, r.title, r.data_version, r.effective_status()] for r in earlier],
        "options": [options.suppression_threshold, options.issuer_name, options.comment_limit],
        "document": list(astuple(document_settings(round_))),
    }


def data_fingerprints(round_: Round, units: list[Unit], report_format: int,
                      options) -> dict[int, str]:
    """unit id -> fingerprint of the data of its report in the round (any language)."""
    units = list({unit.id: unit for unit in units}.values())
    if not units:
        return {}
    # a unit and each of its children are compared with their own latest earlier round
    # (server/analytics/history.py): every round looked through is part of the material
    earlier = earlier_rounds(db.session, round_)
    shared = _round_material(round_, earlier, options)
    targets = _targets(round_.id, units)
    states = _response_states([round_, *earlier], units,
                              sum(targets[unit.id][0][0] for unit in units if targets[unit.id]))
    tree = _tree_signature(units)
    channels = _channel_states(round_, units, utcnow())
    ids = {unit.id for unit in units}
    above = {ancestor for unit in units for ancestor in unit.ancestor_ids}
    names = {row.id: row.name for row in db.session.execute(
        select(Unit.id, Unit.name).where(Unit.id.in_(above)))} if above else {}
    children: dict[int, list] = defaultdict(list)
    for row in db.session.execute(select(Unit.parent_id, Unit.id, Unit.name, Unit.kind)
                                  .where(Unit.parent_id.in_(ids)).order_by(Unit.id)):
        children[row.parent_id].append([row.id, row.name, row.kind])
    fingerprints = {}
    for unit in units:
        material = {
            "format": report_format, **shared,
            "unit": [unit.id, unit.name, unit.kind, unit.path],
            "above": [names.get(ancestor) for ancestor in unit.ancestor_ids],
            "children": children[unit.id],
            "tree": tree[unit.id],
            "responses": sorted(states[unit.id]),
            "targets": targets[unit.id],
            "channels": channels[unit.id],
        }
        canonical = json.dumps(material, ensure_ascii=False, sort_keys=True)
        fingerprints[unit.id] = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return fingerprints


def for_language(fingerprint: str, lang: str) -> str:
    """The fingerprint of one language's PDF of that data."""
    return hashlib.sha256(f"{fingerprint}:{lang}".encode()).hexdigest()
