"""The scheduled job keeping stored aggregates (server/analytics/aggregates.py) close to
their rounds: an open round's summaries add the responses after the stored bound (the
delta) live, which stays cheap only while the delta is small.

Each open round, and each closed round that has stored aggregates, is built again when its
stored rows are missing or unusable (server/analytics/currency.py). Its delta is folded into
them (server/analytics/fold.py: only the new responses are read) when a closed round has any
(a late upload) or an open round's has grown past DELTA_SHARE of the stored responses or
past DELTA_MOST responses. Measured on the national round (2 shared cores, load ~7): a
delta of 20,000 added ~3 s to the country's summary and ~1 s to a province's, while folding
it in took ~22 s (a full build ~50-90 s); 5,000 keeps the country's extra time under a
second (~1 s at load 10), for ~11 s of folding. DELTA_SHARE lets a small deployment fold
often (cheap there). Every round is committed on its own: a failure leaves the others done.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select

from server.analytics.aggregates import build_round_aggregates
from server.analytics.currency import usable_aggregates
from server.analytics.fold import fold_delta
from server.analytics.models import RoundAggregate
from server.extensions import db
from server.rounds.models import Round
from server.sync.models import Response

log = logging.getLogger(__name__)

DELTA_SHARE = 0.02
DELTA_MOST = 5_000


def _candidates(now: datetime) -> list[Round]:
    """Open rounds and closed rounds with stored aggregates (a closed round without them is
    pre-generation's to materialise)."""
    stored = set(db.session.scalars(select(RoundAggregate.round_id)))
    rounds = db.session.scalars(select(Round).where(Round.status != "draft",
                                                    Round.opens_at <= now)
                                .order_by(Round.id)).all()
    return [r for r in rounds if r.effective_status(now) == "open"
            or (r.effective_status(now) == "closed" and r.id in stored)]


def delta_size(round_id: int, upto_id: int) -> int:
    """The round's responses after the stored bound (the primary key's range)."""
    return int(db.session.scalar(select(func.count(Response.id)).where(
        Response.id > upto_id, Response.round_id == round_id)) or 0)


def what_to_do(round_: Round) -> str:
    """"build" (missing or unusable rows), "fold" (a delta worth adding in) or "fresh"."""
    header = db.session.get(RoundAggregate, round_.id)
    usable = usable_aggregates(db.session, round_, header)
    if usable is None:
        return "build"
    if not usable.delta:
        return "fresh"
    if round_.effective_status() == "closed":
        # a late upload: rare, and the progress page and report fingerprints read a closed
        # round's stored counts only when they hold every response
        return "fold"
    stored = sum(n for _, n, _, _ in header.stamp["responses"])
    delta = delta_size(round_.id, usable.upto_id)
    return "fold" if delta > DELTA_MOST or delta > DELTA_SHARE * stored else "fresh"


def refresh_round(round_: Round) -> str:
    """Fold the round's delta in, build its aggregates again, or leave them: "folded",
    "built" or "fresh". Flushes only (the caller commits)."""
    action = what_to_do(round_)
    if action == "fold" and fold_delta(round_) is None:
        action = "build"            # went stale since: a late id below the bound
    if action == "build":
        units = build_round_aggregates(round_)
        log.info("round %s: aggregates built (%s units)", round_.id, units)
    return {"build": "built", "fold": "folded", "fresh": "fresh"}[action]


def refresh_aggregates(now: datetime) -> dict:
    """The scheduled job: fold the delta of the rounds that need it into their stored
    aggregates, or build them again where they are unusable; commits each round."""
    done: dict[str, list[int]] = {"built": [], "folded": [], "fresh": []}
    for round_ in _candidates(now):
        outcome = refresh_round(round_)
        db.session.commit()
        done[outcome].append(round_.id)
    return done
