from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db_types import UTCDateTime, utcnow
from server.extensions import db


class PregenerationRun(db.Model):
    """One run of the pre-generation of a closed round's reports (server/reporting/
    pregeneration.py), its figures kept up to date as it goes: an operator sees its
    progress, and a run that died shows as one never finished (finished_at empty, updated_at
    old). Figures count reports (one unit in one language)."""

    __tablename__ = "pregeneration_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    workers: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    planned: Mapped[int] = mapped_column(default=0)
    made: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)    # already current: not made again
    failed: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
