"""Round reports as PDF: made on demand, cached by a fingerprint of the data they rest on,
and pre-generated when a round closes."""

from __future__ import annotations

import hashlib
import json
import logging

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from reports.pdf import render_round_report
from server.analytics.build import SummaryOptions, build_round_summary
from server.analytics.queries import COUNTED_STATUSES
from server.database import UPSERT_INSERTS, in_read_request, is_lock_error, write_beside_read
from server.db_types import utcnow
from server.extensions import db
from server.reporting.access import round_report_units
from server.reporting.models import CachedReport
from server.rounds.models import Round
from server.rounds.services import previous_round, targets_of
from server.sync.models import Response
from server.units.models import Unit
from server.units.services import slugify

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")
# Bump when the summary or the PDF changes shape, so cached reports are made again.
REPORT_FORMAT = 3


def summary_options() -> SummaryOptions:
    config = current_app.config
    return SummaryOptions(suppression_threshold=int(config["SUPPRESSION_THRESHOLD"]),
                          issuer_name=config["ISSUER_NAME"],
                          comment_limit=int(config.get("REPORT_COMMENT_LIMIT", 300)))


def report_filename(round_: Round, unit: Unit, lang: str) -> str:
    prefix = "bao-cao" if lang == "vi" else "report"
    return f"{prefix}-{slugify(unit.name)}-{round_.slug or round_.id}.pdf"


def _responses_state(round_id: int, unit: Unit) -> list:
    """Count, id sum and last id of the counted responses below the unit: any response
    added, removed or rejected changes one of them."""
    in_scope = select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))
    row = db.session.execute(
        select(func.count(Response.id), func.coalesce(func.sum(Response.id), 0),
               func.coalesce(func.max(Response.id), 0))
        .where(Response.round_id == round_id, Response.status.in_(COUNTED_STATUSES),
               Response.unit_id.in_(in_scope))).one()
    return [int(value) for value in row]


def data_fingerprint(round_: Round, unit: Unit, lang: str) -> str:
    before = previous_round(round_)
    units = db.session.execute(select(Unit.id, Unit.name).where(
        Unit.path.startswith(unit.path, autoescape=True)).order_by(Unit.id)).all()
    options = summary_options()
    material = {
        "format": REPORT_FORMAT, "lang": lang,
        "round": [round_.id, round_.title, round_.opens_at.isoformat(),
                  round_.closes_at.isoformat(), round_.effective_status(),
                  round_.target_per_unit, round_.form_version.content_hash],
        "units": [list(row) for row in units],
        # Per-unit targets drive the coverage table.
        "targets": sorted(targets_of(round_.id).items()),
        # The ids see responses added or removed; the data version, answers changed in place.
        "responses": [*_responses_state(round_.id, unit), round_.data_version],
        "previous": ([before.id, before.title, _responses_state(before.id, unit),
                      before.data_version] if before else None),
        "options": [options.suppression_threshold, options.issuer_name, options.comment_limit],
    }
    canonical = json.dumps(material, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _store(round_: Round, unit: Unit, lang: str, fingerprint: str, pdf: bytes) -> None:
    """Keep the PDF for the next view: one upsert (a worker storing the same report at the
    same time changes nothing that matters: theirs is as good as ours)."""
    table = CachedReport.__table__
    connection_dialect = db.session.get_bind().dialect.name
    statement = UPSERT_INSERTS[connection_dialect](table).values(
        round_id=round_.id, unit_id=unit.id, lang=lang, fingerprint=fingerprint, pdf=pdf,
        created_at=utcnow())
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.round_id, table.c.unit_id, table.c.lang],
        set_={"fingerprint": statement.excluded.fingerprint, "pdf": statement.excluded.pdf,
              "created_at": statement.excluded.created_at})
    if not in_read_request():
        db.session.execute(statement)  # a job or a write request: its own transaction
        return
    try:
        with write_beside_read() as connection:
            connection.execute(statement)
    except OperationalError as error:
        if not is_lock_error(error):
            raise
        # Only a cache: the next view makes the report again.
        log.warning("report for round %s unit %s not cached: database busy", round_.id, unit.id)


def report_pdf(round_: Round, unit: Unit, lang: str = "vi") -> bytes:
    """The PDF of the round for the unit: from the cache while the data is unchanged."""
    fingerprint = data_fingerprint(round_, unit, lang)
    cached = db.session.scalar(select(CachedReport).where(
        CachedReport.round_id == round_.id, CachedReport.unit_id == unit.id,
        CachedReport.lang == lang, CachedReport.fingerprint == fingerprint))
    if cached is not None:
        return cached.pdf
    summary = build_round_summary(db.session, round_, unit, summary_options())
    pdf = render_round_report(summary, lang)
    _store(round_, unit, lang, fingerprint, pdf)
    return pdf


def pregenerate_round_reports(round_id: int) -> int:
    """Make (and cache) every report of a closed round, in both languages; the caller
    commits. Returns how many reports were made or found current."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        return 0
    made = 0
    for unit in round_report_units(round_):
        for lang in LANGUAGES:
            report_pdf(round_, unit, lang)
            made += 1
    round_.reports_generated_at = utcnow()
    db.session.flush()
    return made
