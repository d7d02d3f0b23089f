"""Round summaries kept beside the PDFs (cached_summaries), keyed by the data fingerprint:
the web pages read a card's headline figures from here, and a page view builds only the
summaries missing or out of date for the units on that page.

While a round is open, responses arrive all evening and every one changes the fingerprint:
a page then shows a summary made less than RECENT_ENOUGH ago, with its time, instead of
rebuilding the national figures at each view (the PDFs are always exact). A broad unit (the
country, a province) read live takes seconds to tens of seconds to summarise: a view never
builds it for an open round, nor for a closed one unless it is small enough for the time
it takes (views_may_build); the page shows the last stored summary with its time, or "being
computed" when there is none yet. The pre-generation makes a closed round's when it closes;
server/reporting/warming.py keeps the others fresh every few minutes."""

from __future__ import annotations

import logging
import pickle
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import load_only

from reports.summary import RoundSummary
from server.analytics.build import build_round_summary
from server.database import UPSERT_INSERTS, in_read_request, is_lock_error, write_beside_read
from server.db_types import utcnow
from server.extensions import db
from server.reporting.access import round_units_under
from server.reporting.models import CachedSummary
from server.rounds.document import document_settings
from server.rounds.models import Round
from server.units.models import Unit

log = logging.getLogger(__name__)

RECENT_ENOUGH = timedelta(minutes=5)
# Units above a commune: their summary of an open round is read live from every answer below.
BROAD_KINDS = ("country", "province", "district")
# A broad unit is built on view only up to this many round units below it (~20 communes'
# groups: well under a second, open or closed; a small deployment's province, whose figures
# are then always exact). Even summed from the round's stored aggregates a province of
# ~1,000 groups takes ~0.7 s and the country seconds: a page of 20 provinces would take
# over 10 s, so the warming job and the pre-generation make those.
INLINE_UNITS = 250


def _round_units_below(round_: Round, units: list) -> dict[int, int]:
    """unit id -> the round's units at or below it: one query for a page's broad units."""
    counts = [round_units_under(round_, unit).with_only_columns(
                  literal(unit.id).label("id"), func.count().label("n"))
              for unit in units]
    return dict(db.session.execute(union_all(*counts) if len(counts) > 1 else counts[0]).all())


def views_may_build(round_: Round, units: list) -> set[int]:
    """The ids of the units whose summary a page view may build itself: a commune or below
    (well under a second), and a broad unit only when small, whether the round is open or
    closed (the warming job and the pre-generation make the others)."""
    broad = [unit for unit in units if unit.kind in BROAD_KINDS]
    allowed = {unit.id for unit in units if unit.kind not in BROAD_KINDS}
    if not broad:
        return allowed
    below = _round_units_below(round_, broad)
    return allowed | {unit.id for unit in broad if below.get(unit.id, 0) <= INLINE_UNITS}


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
    exact: bool          # made from the data as it is now (else: an earlier one, shown with its time)


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


def _stored(round_: Round, unit) -> CachedSummary | None:
    return db.session.scalar(select(CachedSummary).where(
        CachedSummary.round_id == round_.id, CachedSummary.unit_id == unit.id))


def _built(round_: Round, unit: Unit, fingerprint: str, options) -> tuple[RoundSummary, Headline]:
    summary = build_summary(round_, unit, options)
    store_summary(round_, unit, fingerprint, summary)
    return summary, Headline(headline_of(summary), utcnow(), True)


def cached_summary(round_: Round, unit: Unit, fingerprint: str, options,
                   recent_ok: bool = False) -> tuple[RoundSummary, Headline]:
    """The unit's summary: stored, or built and stored."""
    row = _stored(round_, unit)
    if row is not None and _usable(row, fingerprint, round_, recent_ok):
        summary = _load(row.summary)
        if summary is not None:
            return summary, Headline(row.headline, row.created_at,
                                     row.fingerprint == fingerprint)
    return _built(round_, unit, fingerprint, options)


def view_summary(round_: Round, unit: Unit, fingerprint: str | None,
                 options) -> tuple[RoundSummary | None, Headline | None]:
    """The unit's summary for a page: as cached_summary with recent ones accepted. Without a
    fingerprint (a unit a view may not build: views_may_build) the last stored summary
    whatever its age, shown with its time, or (None, None) while none is stored."""
    row = _stored(round_, unit)
    summary = _load(row.summary) if row is not None else None
    if summary is not None and (fingerprint is None
                                or _usable(row, fingerprint, round_, recent_ok=True)):
        return summary, Headline(row.headline, row.created_at, row.fingerprint == fingerprint)
    if fingerprint is None:
        return None, None
    return _built(round_, unit, fingerprint, options)


def headlines(round_: Round, units: list, fingerprints: dict[int, str], options,
              budget: float | None = None) -> dict[int, Headline | None]:
    """The headline figures of each unit (of one page), building only the summaries missing
    or out of date, and only until `budget` seconds are spent (a page of 20 communes all out
    of date takes several seconds: the next view goes on). A unit without a fingerprint (one
    a view may not build: the caller leaves it out, see views_may_build) or past the budget
    gets its last stored figures, shown with their time, or None while none is stored. The
    stored summaries themselves are not read."""
    started, built = time.monotonic(), 0
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
        fingerprint = fingerprints.get(unit.id)
        # at least one a view, so that views in a row always get through the page
        on_view = fingerprint is not None and (
            budget is None or not built or time.monotonic() - started <= budget)
        if row is not None and (not on_view or _usable(row, fingerprint, round_, True)):
            found[unit.id] = Headline(row.headline, row.created_at,
                                      row.fingerprint == fingerprint)
            continue
        if not on_view:
            found[unit.id] = None          # "being computed": a job or the next view makes it
            continue
        # a page lists plain rows: the summary needs the unit itself
        full_unit = unit if isinstance(unit, Unit) else db.session.get(Unit, unit.id)
        found[unit.id] = _built(round_, full_unit, fingerprint, options)[1]
        built += 1
    return found
