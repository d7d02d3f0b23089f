"""Which earlier round a unit is compared with: chosen per unit, not per round.

The previous round of a unit is the latest earlier closed round of the same form family in
which that unit had at least k counted responses (fewer could not be published, so they
cannot be compared with either). A commune that skipped the last round is compared with the
round before it; each child unit of a ranking is chosen for on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.analytics import queries
from server.forms.models import FormVersion
from server.rounds.models import Round
from server.sync.models import Response
from server.units.models import Unit

# how many earlier rounds are looked through (twice a year: three years)
LOOKBACK = 6


@dataclass(frozen=True, slots=True)
class EarlierRound:
    round: Round
    by_bucket: dict[int, int]       # bucket (child id, or the unit's own id) -> responses

    @property
    def responses(self) -> int:
        return sum(self.by_bucket.values())


def earlier_rounds(session: Session, round_: Round, limit: int = LOOKBACK) -> list[Round]:
    """Closed rounds of the same form family that ended before `round_` opened, newest
    first."""
    candidates = session.scalars(
        select(Round).join(FormVersion, Round.form_version_id == FormVersion.id)
        .where(FormVersion.form_id == round_.form_version.form_id, Round.id != round_.id,
               Round.status != "draft", Round.closes_at <= round_.opens_at)
        .order_by(Round.closes_at.desc(), Round.id.desc()).limit(limit)).all()
    return [candidate for candidate in candidates if candidate.effective_status() == "closed"]


def _counts(session: Session, round_: Round, unit_path: str,
            bucket_of: dict[int, int]) -> EarlierRound:
    by_bucket: dict[int, int] = {}
    for unit_id, n in queries.response_counts(session, queries.Scope(round_.id, unit_path)):
        bucket = bucket_of[unit_id]
        by_bucket[bucket] = by_bucket.get(bucket, 0) + int(n)
    return EarlierRound(round_, by_bucket)


@dataclass(frozen=True, slots=True)
class PreviousRounds:
    """The unit's previous round and, per child bucket, the child's own."""
    unit: EarlierRound | None
    children: dict[int, EarlierRound]

    def rounds(self) -> list[Round]:
        """Every distinct round chosen, the unit's first."""
        chosen = ([self.unit.round] if self.unit else []) + [
            earlier.round for earlier in self.children.values()]
        seen: dict[int, Round] = {}
        for round_ in chosen:
            seen.setdefault(round_.id, round_)
        return list(seen.values())


def previous_rounds(session: Session, round_: Round, unit_path: str,
                    bucket_of: dict[int, int], child_ids: list[int],
                    threshold: int, stored_counts=None) -> PreviousRounds:
    """Look back through the earlier rounds, newest first, until the unit and each child
    has found the latest one in which it had at least `threshold` responses (or the
    look-back ends). One GROUP BY per round looked at (usually one), or none where
    `stored_counts(round)` gives the buckets' counts from the stored aggregates."""
    unit_choice: EarlierRound | None = None
    children: dict[int, EarlierRound] = {}
    for candidate in earlier_rounds(session, round_):
        stored = stored_counts(candidate) if stored_counts else None
        earlier = (EarlierRound(candidate, stored) if stored is not None
                   else _counts(session, candidate, unit_path, bucket_of))
        if unit_choice is None and earlier.responses >= threshold:
            unit_choice = earlier
        for child in child_ids:
            if child not in children and earlier.by_bucket.get(child, 0) >= threshold:
                children[child] = earlier
        if unit_choice is not None and len(children) == len(child_ids):
            break
    return PreviousRounds(unit_choice, children)


def earlier_rounds_state(session: Session, round_: Round, unit_path: str) -> list:
    """What the choice of previous rounds and their figures rest on, for a report's
    fingerprint: per earlier round looked at, its id, title and data version and the count,
    id sum and last id of its counted responses below the unit (one query)."""
    rounds = earlier_rounds(session, round_)
    if not rounds:
        return []
    in_scope = select(Unit.id).where(Unit.path.startswith(unit_path, autoescape=True))
    states = {row[0]: [int(value) for value in row[1:]] for row in session.execute(
        select(Response.round_id, func.count(Response.id),
               func.coalesce(func.sum(Response.id), 0), func.coalesce(func.max(Response.id), 0))
        .where(Response.round_id.in_([r.id for r in rounds]),
               Response.status.in_(queries.COUNTED_STATUSES), Response.excluded_at.is_(None),
               Response.unit_id.in_(in_scope))
        .group_by(Response.round_id)).all()}
    return [[r.id, r.title, r.data_version, states.get(r.id, [0, 0, 0])] for r in rounds]
