from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db_types import UTCDateTime, utcnow
from server.extensions import db


class JobRun(db.Model):
    """One run of a scheduled job for one due time. The unique (job, due time) pair is what
    makes a job run exactly once when two scheduler processes are started by mistake."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job_name", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_name: Mapped[str] = mapped_column(String(80))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(500))
