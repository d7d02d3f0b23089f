"""Whether a round's stored aggregates (server/analytics/aggregates.py) may be used, and for
which of its responses.

Aggregates are built from the round's responses up to an id, L (the round's last id when
they were built), in an open round as in a closed one. They may be used while the round's
data version (answers changed in place, exclusions), its form version and the unit tree
are what they were and the responses with id <= L still have, per status, the count, id
sum and last id recorded then: a response committing late with an id <= L, a rejection or
an exclusion makes them unusable (every reader then reads live), never wrong. Responses
with id > L are the delta, read live on top of them (server/analytics/delta.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, case, cast, func, select, true
from sqlalchemy.orm import Session, scoped_session

from server.analytics.models import RoundAggregate
from server.database import in_read_request
from server.rounds.models import Round
from server.sync.models import Response
from server.units.models import Unit


@dataclass(frozen=True, slots=True)
class UsableAggregates:
    upto_id: int        # the stored rows hold the round's responses with id <= upto_id
    delta: bool         # the round has responses with a larger id: read them live


_READINGS = "analytics.responses_state"


def _request_readings(session: Session) -> dict | None:
    """A read request's readings of rounds' states, kept while its transaction lasts: its
    fingerprint and its summary check the same earlier round, and each reading reads the
    whole round. A writer (a job, a fold) reads afresh each time: the order of its readings
    is part of its correctness."""
    if not in_read_request():
        return None
    if isinstance(session, scoped_session):
        session = session()
    transaction = session.get_transaction()
    kept = session.info.get(_READINGS)
    if kept is None or kept[0] is not transaction:
        kept = session.info[_READINGS] = (transaction, {})
    return kept[1]


def _responses_state(session: Session, round_id: int,
                     upto_id: int | None) -> tuple[list[list], int]:
    """Per status, [status, count, id sum, last id] of the round's responses with id <=
    upto_id (all of them for None), and the round's last id: one GROUP BY over the index on
    round, unit, status, id (once per read request)."""
    readings = _request_readings(session)
    if readings is None:
        return _read_responses_state(session, round_id, upto_id)
    key = (round_id, upto_id)
    if key not in readings:
        readings[key] = _read_responses_state(session, round_id, upto_id)
    return readings[key]


def _read_responses_state(session: Session, round_id: int,
                          upto_id: int | None) -> tuple[list[list], int]:
    bounded = Response.id <= upto_id if upto_id is not None else true()
    kept = case((bounded, Response.id))
    rows = session.execute(
        select(Response.status, func.count(kept), func.sum(kept), func.max(kept),
               func.max(Response.id))
        .where(Response.round_id == round_id).group_by(Response.status)).all()
    state = sorted([status, int(n), int(total or 0), int(last or 0)]
                   for status, n, total, last, _ in rows if n)
    return state, max((int(last) for *_, last in rows), default=0)


def _tree_state(session: Session) -> list[int]:
    tree = session.execute(select(
        func.count(Unit.id), func.sum(cast(Unit.id, BigInteger) * func.coalesce(Unit.parent_id, 0)),
        func.sum(func.length(Unit.path)))).one()
    return [int(value or 0) for value in tree]


def _stamp_and_last_id(session: Session, round_: Round,
                       upto_id: int | None) -> tuple[dict, int]:
    responses, last_id = _responses_state(session, round_.id, upto_id)
    stamp = {"upto": last_id if upto_id is None else upto_id, "responses": responses,
             "tree": _tree_state(session), "form": round_.form_version.content_hash}
    return stamp, last_id


def round_stamp(session: Session, round_: Round, upto_id: int | None = None) -> dict:
    """What a round's aggregates rest on besides its data version: its responses with id <=
    upto_id per status (upto_id: its last id now when None), its form version and the unit
    tree."""
    return _stamp_and_last_id(session, round_, upto_id)[0]


def usable_aggregates(session: Session, round_: Round,
                      header: RoundAggregate | None = None) -> UsableAggregates | None:
    """The round's stored aggregates' bound and whether a delta lies beyond it, or None when
    they are missing or no longer what the round's data up to that bound is."""
    header = header or session.get(RoundAggregate, round_.id)
    if header is None or header.data_version != round_.data_version:
        return None
    upto_id = (header.stamp or {}).get("upto")
    if upto_id is None:             # built before stamps carried their bound
        return None
    stamp, last_id = _stamp_and_last_id(session, round_, int(upto_id))
    if stamp != header.stamp:
        return None
    return UsableAggregates(int(upto_id), last_id > int(upto_id))


def aggregates_current(session: Session, round_: Round,
                       header: RoundAggregate | None = None) -> bool:
    """The round is closed and its stored aggregates hold every response it has, as it is
    (their counts are the round's: the progress page and fingerprints read them alone)."""
    if round_.effective_status() != "closed":
        return False
    usable = usable_aggregates(session, round_, header)
    return usable is not None and not usable.delta
