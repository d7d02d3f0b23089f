from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db_types import JSONType, UTCDateTime, utcnow
from server.extensions import db
from server.sync.models import Response


class CachedReport(db.Model):
    """The last PDF made for a round, unit and language, valid while its fingerprint is."""

    __tablename__ = "cached_reports"
    __table_args__ = (UniqueConstraint("round_id", "unit_id", "lang",
                                       name="uq_cached_reports_round_unit_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    fingerprint: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CachedSummary(db.Model):
    """The last summary made for a round and unit, valid while its fingerprint is (the PDF's
    data, without the language): the web pages read their headline figures from here and
    the PDFs of every language are drawn from the one summary, so a page view never builds
    a summary that a PDF (or the pre-generation when a round closes) has already built."""

    __tablename__ = "cached_summaries"
    __table_args__ = (UniqueConstraint("round_id", "unit_id",
                                       name="uq_cached_summaries_round_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The figures a card shows (server/reporting/headline.py), readable without the summary.
    headline: Mapped[dict] = mapped_column(JSONType)
    # The whole RoundSummary, pickled: written only by this application, read only while
    # the fingerprint (which includes REPORT_FORMAT) matches, and rebuilt if it fails to load.
    summary: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# The report queries count a round's responses per unit (the fingerprint of every card, and
# the per-unit GROUP BYs of a summary): this index answers them from the index alone instead
# of reading the whole round (the round id alone has no index of its own). Declared here, beside the
# queries that need it, rather than in the sync models.
Index("ix_responses_round_unit_status", Response.round_id, Response.unit_id, Response.status,
      Response.id)
