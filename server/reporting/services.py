"""Round reports as PDF: made on demand, cached by a fingerprint of the data they rest on,
and pre-generated when a round closes."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from reports.pdf import render_round_report
from reports.summary import RoundSummary
from server.analytics.build import SummaryOptions
from server.database import UPSERT_INSERTS, in_read_request, is_lock_error, write_beside_read
from server.db_types import utcnow
from server.extensions import db
from server.reporting import fingerprint
from server.reporting.models import CachedReport
from server.reporting.summaries import cached_summary
from server.rounds.models import Round
from server.units.models import Unit
from server.units.services import slugify

log = logging.getLogger(__name__)

LANGUAGES = ("vi", "en", "km")
# made when a round closes; Khmer only on demand (few communes need it), then cached
PREGENERATED_LANGUAGES = ("vi", "en")
# Bump when the summary or the PDF changes shape, so cached reports are made again.
REPORT_FORMAT = 5


def summary_options() -> SummaryOptions:
    config = current_app.config
    return SummaryOptions(suppression_threshold=int(config["SUPPRESSION_THRESHOLD"]),
                          issuer_name=config["ISSUER_NAME"],
                          comment_limit=int(config.get("REPORT_COMMENT_LIMIT", 300)))


def report_filename(round_: Round, unit: Unit, lang: str) -> str:
    prefix = {"vi": "bao-cao", "en": "report", "km": "bao-cao-khmer"}[lang]
    return f"{prefix}-{slugify(unit.name)}-{round_.slug or round_.id}.pdf"


def data_fingerprints(round_: Round, units: list[Unit]) -> dict[int, str]:
    """unit id -> fingerprint of the data of its report (any language), for a page of units
    in a few queries (server/reporting/fingerprint.py)."""
    return fingerprint.data_fingerprints(round_, units, REPORT_FORMAT, summary_options())


def data_fingerprint(round_: Round, unit: Unit, lang: str) -> str:
    """The fingerprint of the unit's PDF in one language."""
    return fingerprint.for_language(data_fingerprints(round_, [unit])[unit.id], lang)


def _store(round_: Round, unit: Unit, lang: str, pdf_fingerprint: str, pdf: bytes) -> None:
    """Keep the PDF for the next view: one upsert (a worker storing the same report at the
    same time changes nothing that matters: theirs is as good as ours)."""
    table = CachedReport.__table__
    connection_dialect = db.session.get_bind().dialect.name
    statement = UPSERT_INSERTS[connection_dialect](table).values(
        round_id=round_.id, unit_id=unit.id, lang=lang, fingerprint=pdf_fingerprint, pdf=pdf,
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
    """The PDF of the round for the unit: from the cache while the data is unchanged, else
    drawn from the stored summary of that data (one summary for every language)."""
    data = data_fingerprints(round_, [unit])[unit.id]
    pdf_fingerprint = fingerprint.for_language(data, lang)
    cached = db.session.scalar(select(CachedReport).where(
        CachedReport.round_id == round_.id, CachedReport.unit_id == unit.id,
        CachedReport.lang == lang, CachedReport.fingerprint == pdf_fingerprint))
    if cached is not None:
        return cached.pdf
    summary, _ = cached_summary(round_, unit, data, summary_options())
    pdf = render_round_report(summary, lang)
    _store(round_, unit, lang, pdf_fingerprint, pdf)
    return pdf


# --- pre-generation (server/reporting/pregeneration.py runs it, committing each report) ---

def current_reports(round_: Round, data: dict[int, str],
                    langs: tuple[str, ...]) -> set[tuple[int, str]]:
    """(unit id, language) of the stored PDFs that are current for the units' data
    fingerprints (`data`: unit id -> data fingerprint), in one query."""
    if not data:
        return set()
    wanted = {fingerprint.for_language(value, lang): (unit_id, lang)
              for unit_id, value in data.items() for lang in langs}
    rows = db.session.execute(select(CachedReport.unit_id, CachedReport.lang,
                                     CachedReport.fingerprint)
                              .where(CachedReport.round_id == round_.id,
                                     CachedReport.unit_id.in_(list(data)),
                                     CachedReport.lang.in_(langs)))
    return {(row.unit_id, row.lang) for row in rows
            if wanted.get(row.fingerprint) == (row.unit_id, row.lang)}


def report_summary(round_: Round, unit: Unit, data: str) -> RoundSummary:
    """The unit's summary for that data: stored, or built once and stored (every language's
    PDF is drawn from it)."""
    summary, _ = cached_summary(round_, unit, data, summary_options())
    return summary


def make_report(round_: Round, unit: Unit, summary: RoundSummary, data: str, lang: str) -> None:
    """Draw one language's PDF from the summary and store it; the caller commits."""
    pdf = render_round_report(summary, lang)
    _store(round_, unit, lang, fingerprint.for_language(data, lang), pdf)


def pregenerate_round_reports(round_id: int) -> int:
    """Make the pre-generated reports of a closed round in this process (one worker, each
    report committed on its own); returns how many are now current. The scheduler and
    `flask reports pregenerate` call server.reporting.pregeneration.run_pregeneration."""
    from server.reporting.pregeneration import run_pregeneration

    outcome = run_pregeneration(round_id, workers=1)
    return outcome.made + outcome.skipped
