"""Round summaries kept beside the PDFs (cached_summaries), keyed by the data fingerprint:
the web pages read a card's headline figures from here, and a page view builds only the
summaries missing or out of date for the units on that page.

While a round is open, responses arrive all evening and every one changes the fingerprint:
a page then shows a summary made less than RECENT_ENOUGH ago, with its time, instead of
rebuilding the national figures at each view (the PDFs are always exact)."""

from __future__ import annotations

import logging
import pickle
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import load_only

from reports.summary import RoundSummary
from server.analytics.build import build_round_summary
from server.database import UPSERT_INSERTS, in_read_request, is_lock_error, write_beside_read
from server.db_types import utcnow
from server.extensions import db
from server.reporting.models import CachedSummary
from server.rounds.document import document_settings
from server.rounds.models import Round
from server.units.models import Unit

log = logging.getLogger(__name__)

RECENT_ENOUGH = timedelta(minutes=5)


def headline_of(summary: RoundSummary) -> dict:
    """The figures of a card: plain JSON, nothing a withheld report may not say."""
    if summary.withheld:
        return {"withheld": summary.withheld,
                "threshold": summary.methodology.suppression_threshold}
    change = summary.overall_previous.change_pp if summary.overall_previous else None
    return {"withheld": None, "responses": summary.coverage.responses,
            "target": summary.coverage.target, "coverage": summary.coverage.coverage,
            "overall_index": summary.overall_index, "change_pp": change,
            "threshold": summary.methodology.suppression_threshold}


@dataclass(frozen=True)
class Headline:
    figures: dict
    made_at: datetime
    exact: bool          # made from the data as it is now (else: a recent summary, shown with its time)


def build_summary(round_: Round, unit: Unit, options) -> RoundSummary:
    """The summary as the PDF prints it (with the round's document settings)."""
    summary = build_round_summary(db.session, round_, unit, options)
    return replace(summary, document=document_settings(round_))


def store_summary(round_: Round, unit: Unit, fingerprint: str, summary: RoundSummary) -> None:
    """Keep the summary for the next view: one upsert (a worker storing the same summary at
    the same time changes nothing that matters)."""
    table = CachedSummary.__table__
    dialect = db.session.get_bind().dialect.name
    values = {"fingerprint": fingerprint, "headline": headline_of(summary),
              "summary": pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL),
              "created_at": utcnow()}
    statement = UPSERT_INSERTS[dialect](table).values(round_id=round_.id, unit_id=unit.id,
                                                       **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.round_id, table.c.unit_id],
        set_={name: statement.excluded[name] for name in values})
    if not in_read_request():
        db.session.execute(statement)  # a job or a write request: its own transaction
        return
    try:
        with write_beside_read() as connection:
            connection.execute(statement)
    except OperationalError as error:
        if not is_lock_error(error):
            raise
        log.warning("summary for round %s unit %s not cached: database busy",
                    round_.id, unit.id)


def _load(blob: bytes) -> RoundSummary | None:
    try:
        summary = pickle.loads(blob)  # written by this application only
    except Exception:  # a summary of an older shape: made again
        return None
    return summary if isinstance(summary, RoundSummary) else None


def _usable(row: CachedSummary, fingerprint: str, round_: Round, recent_ok: bool) -> bool:
    if row.fingerprint == fingerprint:
        return True
    return (recent_ok and round_.effective_status() == "open"
            and utcnow() - row.created_at < RECENT_ENOUGH)


def cached_summary(round_: Round, unit: Unit, fingerprint: str, options,
                   recent_ok: bool = False) -> tuple[RoundSummary, Headline]:
    """The unit's summary: stored, or built and stored."""
    row = db.session.scalar(select(CachedSummary).where(
        CachedSummary.round_id == round_.id, CachedSummary.unit_id == unit.id))
    if row is not None and _usable(row, fingerprint, round_, recent_ok):
        summary = _load(row.summary)
        if summary is not None:
            return summary, Headline(row.headline, row.created_at,
                                     row.fingerprint == fingerprint)
    summary = build_summary(round_, unit, options)
    store_summary(round_, unit, fingerprint, summary)
    return summary, Headline(headline_of(summary), utcnow(), True)


def headlines(round_: Round, units: list, fingerprints: dict[int, str],
              options) -> dict[int, Headline]:
    """The headline figures of each unit (of one page), building only the summaries missing
    or out of date; the stored summaries themselves are not read."""
    if not units:
        return {}
    rows = db.session.scalars(
        select(CachedSummary)
        .options(load_only(CachedSummary.unit_id, CachedSummary.fingerprint,
                           CachedSummary.headline, CachedSummary.created_at))
        .where(CachedSummary.round_id == round_.id,
               CachedSummary.unit_id.in_([unit.id for unit in units])))
    stored = {row.unit_id: row for row in rows}
    found = {}
    for unit in units:
        row = stored.get(unit.id)
        fingerprint = fingerprints[unit.id]
        if row is not None and _usable(row, fingerprint, round_, recent_ok=True):
            found[unit.id] = Headline(row.headline, row.created_at,
                                      row.fingerprint == fingerprint)
            continue
        # a page lists plain rows: the summary needs the unit itself
        full_unit = unit if isinstance(unit, Unit) else db.session.get(Unit, unit.id)
        summary = build_summary(round_, full_unit, options)
        store_summary(round_, full_unit, fingerprint, summary)
        found[unit.id] = Headline(headline_of(summary), utcnow(), True)
    return found
