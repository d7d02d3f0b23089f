"""The scheduled job that keeps the summaries of broad units fresh where a view may not
build them.

A page view never builds the summary of a country, province or district of an open round,
nor of a big one of a closed round (server/reporting/summaries.py: views_may_build): at
national scale that reads every answer below it, seconds to tens of seconds. This job does
it instead, every few minutes: for each open round, and each round closed in the last
CLOSED_LATELY whose reports were pre-generated (late uploads, moderation), the broad units a
view may not build whose stored summary is missing or no longer matches the data; the
missing ones first, then the oldest, the broadest first; each summary committed on its own,
and the run stops after a time budget (the next slot goes on with what is left).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import select

from server.analytics.refresh import refresh_round
from server.extensions import db
from server.reporting.access import report_unit_ids
from server.reporting.models import CachedSummary
from server.reporting.services import data_fingerprints, summary_options
from server.reporting.summaries import (
    BROAD_KINDS,
    build_summary,
    store_summary,
    views_may_build,
)
from server.rounds.models import Round
from server.units.models import Unit

log = logging.getLogger(__name__)

# Under the job's 5-minute slot, so that one run is over before the next one is due.
TIME_BUDGET = timedelta(minutes=4)
# A closed round's figures change after its reports are made only by late uploads and
# moderation, in the weeks after it closes.
CLOSED_LATELY = timedelta(days=30)


def open_round_ids(now: datetime) -> list[int]:
    """The rounds open at `now`, newest first."""
    return list(db.session.scalars(
        select(Round.id).where(Round.status.not_in(("draft", "closed")),
                               Round.opens_at <= now, Round.closes_at > now)
        .order_by(Round.opens_at.desc(), Round.id.desc())))


def lately_closed_round_ids(now: datetime) -> list[int]:
    """The rounds closed in the last CLOSED_LATELY whose reports are pre-generated (before
    that, the pre-generation makes their summaries), newest first."""
    return list(db.session.scalars(
        select(Round.id).where(Round.status != "draft", Round.closes_at <= now,
                               Round.closes_at > now - CLOSED_LATELY,
                               Round.reports_generated_at.is_not(None))
        .order_by(Round.closes_at.desc(), Round.id.desc())))


def stale_broad_units(round_: Round) -> list[tuple[Unit, str]]:
    """The round's broad report units whose stored summary is missing or out of date, with
    their current data fingerprint, in the order they are made."""
    units = list(db.session.scalars(select(Unit).where(
        Unit.id.in_(report_unit_ids(round_.id)), Unit.kind.in_(BROAD_KINDS))))
    on_view = views_may_build(round_, units)     # those a view makes itself
    units = [unit for unit in units if unit.id not in on_view]
    if not units:
        return []
    fingerprints = data_fingerprints(round_, units)
    stored = {row.unit_id: row for row in db.session.execute(
        select(CachedSummary.unit_id, CachedSummary.fingerprint, CachedSummary.created_at)
        .where(CachedSummary.round_id == round_.id,
               CachedSummary.unit_id.in_([unit.id for unit in units])))}
    stale = [unit for unit in units if unit.id not in stored
             or stored[unit.id].fingerprint != fingerprints[unit.id]]

    def order(unit: Unit):
        row = stored.get(unit.id)
        return (row is not None, row.created_at if row is not None else None,
                unit.path.count("/"), unit.name, unit.id)

    stale.sort(key=order)
    return [(unit, fingerprints[unit.id]) for unit in stale]


def warm_open_round_summaries(now: datetime, budget: timedelta = TIME_BUDGET) -> str:
    """The scheduled job: make the missing or stale summaries of the broad units a view may
    not build, committing each; returns what it did (kept in the job's run record)."""
    started = time.monotonic()
    made = left = 0
    options = summary_options()
    for round_id in open_round_ids(now) + lately_closed_round_ids(now):
        round_ = db.session.get(Round, round_id)
        # the broad summaries add up the stored aggregates and read only the responses
        # after them: fold a grown delta in first (the refresh job's own rule)
        refresh_round(round_)
        db.session.commit()
        todo = stale_broad_units(round_)
        db.session.commit()   # the reads above hold no transaction open while building
        for position, (unit, fingerprint) in enumerate(todo):
            if time.monotonic() - started > budget.total_seconds():
                left += len(todo) - position
                break
            summary = build_summary(round_, unit, options)
            store_summary(round_, unit, fingerprint, summary)
            db.session.commit()
            made += 1
    if left:
        log.warning("warming: %s summaries made, %s left for the next slot", made, left)
    return f"{made} summaries made, {left} left"
