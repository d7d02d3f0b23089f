from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db_types import UTCDateTime, utcnow
from server.extensions import db
from server.forms.models import FormVersion
from server.units.models import Unit

ROUND_STATUSES = ("draft", "scheduled", "open", "closed")

round_units = Table(
    "round_units",
    db.metadata,
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Round(db.Model):
    """A survey round (đợt khảo sát): one form version, a time window, a set of units."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    target_per_unit: Mapped[int] = mapped_column(default=20)
    # draft: being planned; scheduled: published, opens by its dates; closed: closed early.
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reports_generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    form_version: Mapped[FormVersion] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=round_units, order_by=Unit.path)

    def effective_status(self, now: datetime | None = None) -> str:
        """draft, planned, open or closed, from the status and the time window."""
        now = now or utcnow()
        if self.status == "draft":
            return "draft"
        if self.status == "closed" or now >= self.closes_at:
            return "closed"
        if now < self.opens_at:
            return "planned"
        return "open"
